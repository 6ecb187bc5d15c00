/**
 * The village's fundraiser sign in the room's state (shared/state.ts
 * FundraiserSign): the owner's newest active fundraiser, read from the
 * database when the room opens and again whenever its owner's sign channel
 * says so (a payment or refund through it, an edit, a close, the NGO hiding
 * it), and every minute while a sign stands (its campaign may have ended). An empty id means no sign. Amounts are the fundraiser's as a whole;
 * donors a count only.
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type { VillageState } from "../../shared/state.ts";
import type { Db } from "../db/connect.ts";
import { fundraiserSignChannel } from "../realtime/fundraiser-events.ts";
import { signOfPlayer } from "../services/fundraisers.ts";

/** How often a standing sign is read again (its campaign may have ended meanwhile). */
const SIGN_RECHECK_MS = 60_000;

export interface SignRoom {
  db: Db;
  logger: Logger;
  now: () => number;
  presence: Presence;
  state: VillageState;
}

export class FundraiserSignKeeper {
  private ownerId = "";
  private readonly room: () => SignRoom;
  /** Reads run one after another, so an older read never overwrites a newer one. */
  private reading: Promise<void> = Promise.resolve();
  private readonly onEvent = () => void this.refresh();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(room: () => SignRoom) {
    this.room = room;
  }

  async start(ownerId: string): Promise<void> {
    this.ownerId = ownerId;
    await this.room().presence.subscribe(fundraiserSignChannel(ownerId), this.onEvent);
    await this.refresh();
    // A campaign that ends takes its signs down: looked at again every minute while one stands.
    this.timer = setInterval(() => {
      if (this.room().state.fundraiser.id) void this.refresh();
    }, SIGN_RECHECK_MS);
    this.timer.unref?.();
  }

  refresh(): Promise<void> {
    this.reading = this.reading.then(() => this.read()).catch((err: unknown) => this.room().logger.error({ err, ownerId: this.ownerId }, "fundraiser sign read failed"));
    return this.reading;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.ownerId) await this.room().presence.unsubscribe(fundraiserSignChannel(this.ownerId), this.onEvent);
  }

  private async read(): Promise<void> {
    const room = this.room();
    const facts = await signOfPlayer(room.db, this.ownerId, room.now());
    const sign = room.state.fundraiser;
    sign.id = facts?.id ?? "";
    sign.title = facts?.title ?? "";
    sign.raised = facts?.raisedCents ?? 0;
    sign.goal = facts?.goalCents ?? 0;
    sign.donors = facts?.donors ?? 0;
    sign.percent = facts?.percent ?? 0;
    sign.currency = facts?.currency ?? "";
  }
}
