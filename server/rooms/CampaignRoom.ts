/**
 * One room per campaign: its live progress and leaderboard for whoever
 * watches — players (no account needed) and the NGO console. Thin: on
 * "progress changed" (a payment, refund or dispute committed, in any
 * process, or the NGO corrected the campaign) it re-reads the progress from
 * the database through the pure rule and patches the state.
 *
 * Who may join: anyone, for a published campaign of an approved NGO; only the
 * NGO's members otherwise (a draft, or an NGO not approved yet), with a room
 * ticket. The matchmaking door checks that before a seat is reserved or the
 * room created; the room accepts only what the door admitted. Clients send
 * nothing: the state is all there is.
 */
import { type AuthContext, Room, ServerError } from "@colyseus/core";
import type { Logger } from "pino";
import { CampaignState, LeaderboardEntry, PledgeEntry } from "../../shared/campaign-state.ts";
import type { CampaignLeaderboard, CampaignProgress } from "../../shared/campaigns.ts";
import { CLOSE_SESSION_ENDED, JoinCampaignOptions } from "../../shared/messages.ts";
import { watchSessionsEnded } from "../realtime/room-access.ts";
import type { SeatHolder } from "../services/room-tickets.ts";
import type { Db } from "../db/connect.ts";
import { campaignChannel } from "../realtime/campaign-events.ts";
import { anyCampaign, progressAndLeaderboard } from "../services/campaign-progress.ts";
import { admittedBy } from "./admission.ts";

export interface CampaignRoomServices {
  db: Db;
  logger: Logger;
  now: () => number;
}

export class CampaignRoom extends Room<{ state: CampaignState }> {
  declare protected services: CampaignRoomServices;
  override maxClients = 500;
  override state = new CampaignState();
  private campaignId = "";
  /** One recomputation at a time; events arriving meanwhile ask for one more. */
  private running: Promise<void> | null = null;
  private again = false;
  private readonly onChanged = () => this.recompute();
  private unwatchSessions = () => {};

  static withServices(services: CampaignRoomServices): typeof CampaignRoom {
    return class BoundCampaignRoom extends CampaignRoom {
      protected override services = services;
    };
  }

  override messages = {
    _: () => {},
  };

  override async onCreate(options: unknown) {
    const parsed = JoinCampaignOptions.safeParse(options);
    if (!parsed.success) throw new ServerError(400, "campaignId must be a campaign id");
    const found = await anyCampaign(this.services.db, parsed.data.campaignId);
    if (!found) throw new ServerError(404, "No such campaign");
    this.campaignId = found.campaign.id;
    this.state.campaignId = found.campaign.id;
    this.state.currency = found.campaign.currency;
    await this.presence.subscribe(campaignChannel(this.campaignId), this.onChanged);
    // A member watching with a session that ends (signed out, any process) stops watching.
    this.unwatchSessions = await watchSessionsEnded(this.presence, ({ sessions }) => {
      for (const client of this.clients) {
        const session = (client.auth as SeatHolder | undefined)?.session;
        if (session && sessions.includes(session)) client.leave(CLOSE_SESSION_ENDED);
      }
    });
    await this.refresh();
  }

  /** Only what the matchmaking door admitted (a public campaign, or a member's room ticket) reserves a seat. */
  static override async onAuth(_token: string, _options: unknown, context: AuthContext) {
    const admitted = admittedBy(context);
    if (!admitted) throw new ServerError(404, "No such campaign");
    return admitted.holder ?? true;
  }

  override async onDispose() {
    await this.presence.unsubscribe(campaignChannel(this.campaignId), this.onChanged);
    this.unwatchSessions();
    await this.running;
  }

  private recompute(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.refresh();
        } catch (err) {
          this.services.logger.error({ err, campaignId: this.campaignId }, "campaign progress failed");
        }
      } while (this.again);
      this.running = null;
    })();
  }

  private async refresh(): Promise<void> {
    const found = await anyCampaign(this.services.db, this.campaignId);
    if (!found) return;
    const { progress, leaderboard } = await progressAndLeaderboard(this.services.db, found, this.services.now());
    this.state.goal = found.campaign.goalCents;
    this.apply(progress, leaderboard);
  }

  private apply(progress: CampaignProgress, leaderboard: CampaignLeaderboard): void {
    const s = this.state;
    s.raised = progress.raisedCents;
    s.units = progress.units;
    s.donors = progress.donors;
    s.percent = progress.percent;
    s.otherVillages = leaderboard.others.villages;
    s.otherUnits = leaderboard.others.units;
    this.applyPledges(progress);
    const same = s.leaderboard.length === leaderboard.entries.length
      && leaderboard.entries.every((e, i) => {
        const x = s.leaderboard[i];
        return x !== undefined && x.rank === e.rank && x.name === e.name && x.units === e.units;
      });
    if (same) return;
    s.leaderboard.clear();
    for (const e of leaderboard.entries) s.leaderboard.push(new LeaderboardEntry({ rank: e.rank, name: e.name, units: e.units }));
  }

  /** Sponsors' matches, apart from the donors' gifts: patched in place, an entry per pledge. */
  private applyPledges(progress: CampaignProgress): void {
    const s = this.state;
    s.matched = progress.matchedCents ?? 0;
    const pledges = progress.pledges ?? [];
    while (s.pledges.length > pledges.length) s.pledges.pop();
    pledges.forEach((p, i) => {
      const values = { id: p.id, sponsor: p.sponsor, ratio: p.ratioPercent, cap: p.capCents, matched: p.matchedCents, left: p.leftCents, startsAt: p.startsAt, endsAt: p.endsAt };
      const entry = s.pledges[i];
      if (entry) Object.assign(entry, values);
      else s.pledges.push(new PledgeEntry(values));
    });
  }
}
