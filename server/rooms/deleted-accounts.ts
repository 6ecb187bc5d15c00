/**
 * What a village room remembers about accounts deleted while it runs: the
 * players just deleted (so a join already past onAuth when the deletion
 * committed is still refused), and the dropped connections waiting to come
 * back (so a deleted player's reconnection is cancelled, not honoured; a
 * visitor the owner sends away, or who may not be here any more, or whose
 * session ended, while their connection is down is cancelled the same way).
 */

/** How long a deleted player id is remembered: longer than a seat reservation lasts. */
const REMEMBER_MS = 60_000;

interface Cancellable {
  reject(reason?: unknown): void;
}

export class DeletedAccounts {
  private readonly recent = new Map<string, number>();
  private readonly waiting = new Map<string, { playerId: string; session: string; reconnection: Cancellable }>();

  /** A deletion was announced: remember it, and cancel that player's reconnections. */
  deleted(playerId: string, now: number): void {
    for (const [id, until] of this.recent) if (until <= now) this.recent.delete(id);
    this.recent.set(playerId, now + REMEMBER_MS);
    this.endReconnections((w) => w.playerId === playerId, "account deleted");
  }

  /** Cancels the dropped connections waiting to come back that `match` picks (by player or session): they leave now. */
  endReconnections(match: (waiting: { playerId: string; session: string }) => boolean, reason: string): void {
    for (const [sessionId, w] of this.waiting) {
      if (!match(w)) continue;
      this.waiting.delete(sessionId);
      w.reconnection.reject(new Error(reason));
    }
  }

  isDeleted(playerId: string, now: number): boolean {
    return (this.recent.get(playerId) ?? 0) > now;
  }

  /** A dropped connection may come back: remember how to cancel that. */
  reconnecting(sessionId: string, who: { playerId: string; session: string }, reconnection: unknown): void {
    if (typeof (reconnection as Partial<Cancellable> | null)?.reject === "function") {
      this.waiting.set(sessionId, { ...who, reconnection: reconnection as Cancellable });
    }
  }

  settled(sessionId: string): void {
    this.waiting.delete(sessionId);
  }
}
