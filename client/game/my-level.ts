/**
 * My level, as the last progress view said, for what it unlocks (the
 * decorations shop reads it). 1 until the first view arrives.
 */
type Listener = (level: number) => void;

let level = 1;
const listeners = new Set<Listener>();

export function myLevel(): number {
  return level;
}

export function setMyLevel(next: number): void {
  if (next === level) return;
  level = next;
  for (const listener of listeners) listener(level);
}

export function onMyLevel(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
