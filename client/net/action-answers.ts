/**
 * Farming actions wait for the server's answer (shared/messages.ts, ActionRef):
 * each goes out with a fresh `ref`, and its promise resolves on the room's
 * `done` with that ref, or rejects with ActionFailed: the server's refusal
 * (an error with that ref), "network" when no room is open or the connection
 * drops, "no_answer" when nothing came within ACTION_ANSWER_MS. The game
 * shows success only once the promise resolved.
 */
import type { ErrorCode } from "../../shared/errors.ts";
import { ACTION_ANSWER_MS, type ActionDoneMessage, type RoomErrorMessage } from "../../shared/messages.ts";

/** Why a farming action did not go through: the server's code, or what the client saw. */
export class ActionFailed extends Error {
  readonly code: ErrorCode | "network" | "no_answer";
  constructor(code: ErrorCode | "network" | "no_answer", message: string = code) {
    super(message);
    this.name = "ActionFailed";
    this.code = code;
  }
}

interface Waiting {
  resolve(): void;
  reject(err: ActionFailed): void;
  timer: ReturnType<typeof setTimeout>;
}

export class ActionAnswers {
  private nextRef = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly answerMs: number;

  constructor(answerMs = ACTION_ANSWER_MS) {
    this.answerMs = answerMs;
  }

  /** Sends with a fresh ref (send returns false when there is no room to send to) and waits for the answer. */
  ask(send: (ref: number) => boolean): Promise<void> {
    const ref = this.nextRef++;
    if (this.nextRef > 2 ** 31 - 1) this.nextRef = 1;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(ref, new ActionFailed("no_answer")), this.answerMs);
      this.waiting.set(ref, { resolve, reject, timer });
      let sent = false;
      try {
        sent = send(ref);
      } catch (err) {
        console.warn("sending an action failed", err);
      }
      if (!sent) this.settle(ref, new ActionFailed("network"));
    });
  }

  /** The server's `done`: true when it answered one of mine. */
  done(message: ActionDoneMessage): boolean {
    return this.settle(message.ref);
  }

  /** A room error: true when it answered one of mine (the asker shows it), false for anyone else to show. */
  refused(message: RoomErrorMessage): boolean {
    return message.ref !== undefined && this.settle(message.ref, new ActionFailed(message.code, message.message));
  }

  /** The connection dropped or the village changed: nothing pending will be answered here. */
  lost(): void {
    for (const ref of [...this.waiting.keys()]) this.settle(ref, new ActionFailed("network"));
  }

  private settle(ref: number, failure?: ActionFailed): boolean {
    const waiting = this.waiting.get(ref);
    if (!waiting) return false;
    this.waiting.delete(ref);
    clearTimeout(waiting.timer);
    if (failure) waiting.reject(failure);
    else waiting.resolve();
    return true;
  }
}
