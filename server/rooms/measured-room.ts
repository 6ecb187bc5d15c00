/**
 * A room class that counts, for /metrics, its joins, the messages its clients send and the
 * patches it broadcasts (observability/hameau-metrics.ts), without changing what it does.
 */
import type { Room } from "@colyseus/core";
import type { RoomCounters } from "../observability/hameau-metrics.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RoomClass = new (...args: any[]) => Room;

export function measured<T extends RoomClass>(RoomType: T, type: string, counters: RoomCounters): T {
  const labels = { room: type };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Base = RoomType as any;
  class MeasuredRoom extends Base {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      const messages = (this as { messages?: Record<string, (...a: unknown[]) => unknown> }).messages;
      if (messages) {
        for (const [name, handler] of Object.entries(messages)) {
          messages[name] = function counted(this: unknown, ...a: unknown[]) {
            counters.messages.inc(labels);
            return handler.apply(this, a);
          };
        }
      }
    }

    async onJoin(...args: unknown[]) {
      const joined = await super.onJoin?.(...args);
      counters.joins.inc(labels);
      return joined;
    }

    broadcastPatch(): boolean {
      const changed = super.broadcastPatch() as boolean;
      if (changed) counters.patches.inc(labels);
      return changed;
    }
  }
  return MeasuredRoom as unknown as T;
}
