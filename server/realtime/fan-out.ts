/**
 * One presence subscription per process and channel, shared by every room of
 * the process that listens to it. A channel every room listens to (account
 * deletions, catalog changes, emergencies) would otherwise open one
 * subscription per room, and Node warns past ten listeners on one emitter.
 */
import type { Presence } from "@colyseus/core";

interface FanOut {
  listeners: Set<(event: unknown) => void>;
  subscribed: Promise<unknown>;
}

/** Per presence (one per server), per channel. */
const fanOuts = new WeakMap<Presence, Map<string, FanOut>>();

/**
 * Calls `listener` with every event published on `channel` (any process) that `accepts` lets
 * through, until the returned function is called.
 */
export async function watchChannel<T>(
  presence: Presence,
  channel: string,
  accepts: (event: unknown) => event is T,
  listener: (event: T) => void,
): Promise<() => void> {
  let channels = fanOuts.get(presence);
  if (!channels) {
    channels = new Map();
    fanOuts.set(presence, channels);
  }
  let fanOut = channels.get(channel);
  if (!fanOut) {
    const listeners = new Set<(event: unknown) => void>();
    const subscribed = presence.subscribe(channel, (event: unknown) => {
      for (const l of listeners) l(event);
    }).catch((err: unknown) => {
      channels.delete(channel); // the next room tries again
      throw err;
    });
    fanOut = { listeners, subscribed };
    channels.set(channel, fanOut);
  }
  const filtered = (event: unknown) => {
    if (accepts(event)) listener(event);
  };
  fanOut.listeners.add(filtered);
  await fanOut.subscribed;
  const { listeners } = fanOut;
  return () => {
    listeners.delete(filtered);
  };
}
