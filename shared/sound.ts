/**
 * Sound: the player's preference (kept on the player, so it follows them to
 * every device), the request that changes it, and the pure rules the client
 * follows. Sound is off until the player turns it on; nothing plays before a
 * gesture of theirs (a tap, a click or a key) on the page.
 */
import { z } from "zod";

/** GET /api/me/preferences. */
export interface PreferencesView {
  /** Effects and music on (off for every new player). */
  soundOn: boolean;
  /** The language of the monthly impact digest (the game's when the player turned it on; French until then). */
  mailLocale: "fr" | "en";
}

/** PATCH /api/me/preferences: only what changes. */
export const PreferencesRequest = z
  .object({
    soundOn: z.boolean({ error: "soundOn must be true or false" }).optional(),
    mailLocale: z.enum(["fr", "en"], { error: "mailLocale must be fr or en" }).optional(),
  })
  .strict();
export type PreferencesRequest = z.input<typeof PreferencesRequest>;

/** The game's short effects. */
export const SOUND_EFFECTS = ["plant", "water", "harvest", "coins", "gift", "levelUp", "error", "click"] as const;
export type SoundEffect = (typeof SOUND_EFFECTS)[number];

/**
 * Whether sound is on as the page starts. The server's word (the player's
 * preference) wins; before it answers, or when it cannot, the last choice made
 * on this device for this player; and a first visit is muted.
 */
export function soundOnAtStart(server: boolean | undefined, onThisDevice: boolean | null): boolean {
  if (server !== undefined) return server;
  return onThisDevice === true;
}

/** Whether audio may be made now: only with sound on, and only once the player has touched the page. */
export function mayMakeSound(state: { soundOn: boolean; gestured: boolean }): boolean {
  return state.soundOn && state.gestured;
}

/** What happens to the audio when the toggle is pressed (a press is itself a gesture). */
export function afterToggle(soundOn: boolean): { soundOn: boolean; audio: "start" | "stop" } {
  return soundOn ? { soundOn: false, audio: "stop" } : { soundOn: true, audio: "start" };
}

/** One note of the music loop: when (in beats from the loop's start), which (semitones from A4), how long (beats). */
export interface MusicNote {
  beat: number;
  semitone: number;
  beats: number;
  /** 0..1: the bass is softer than the tune. */
  volume: number;
}

/** The major pentatonic scale above C (semitones from C): no note clashes with another. */
const PENTATONIC = [0, 2, 4, 7, 9];
/** C4 is 9 semitones below A4. */
const C4 = -9;

/** A pentatonic degree (may be negative or above 4) to semitones from A4. */
function degree(d: number): number {
  const octave = Math.floor(d / PENTATONIC.length);
  return C4 + 12 * octave + PENTATONIC[((d % PENTATONIC.length) + PENTATONIC.length) % PENTATONIC.length]!;
}

export const MUSIC_BEATS = 32;
export const MUSIC_BEAT_SECONDS = 0.5;

/**
 * The music loop: a slow, gentle tune of 32 beats (16 s at 120 bpm halved) on
 * the pentatonic scale over a soft bass, the same every time (no randomness),
 * that ends where it began so it loops without a seam.
 */
export function musicLoop(): MusicNote[] {
  // Four phrases of eight beats: each a rise and a fall, the last coming home.
  const tune = [
    [0, 2, 4, 3], [4, 5, 4, 2],
    [1, 2, 3, 4], [3, 2, 1, 0],
    [2, 4, 5, 7], [5, 4, 2, 3],
    [4, 3, 2, 1], [2, 1, 0, 0],
  ];
  const notes: MusicNote[] = [];
  tune.forEach((bar, b) => bar.forEach((d, i) => {
    notes.push({ beat: b * 4 + i, semitone: degree(d + 5), beats: i === 3 ? 1.5 : 0.9, volume: 0.5 });
  }));
  // The bass: one long note a bar, on the scale's root and fifth.
  const bass = [0, 0, 3, 0, 2, 3, 0, 0];
  bass.forEach((d, b) => notes.push({ beat: b * 4, semitone: degree(d), beats: 3.5, volume: 0.3 }));
  return notes.sort((a, b) => a.beat - b.beat || a.semitone - b.semitone);
}
