/**
 * A campaign's live progress for players: joins the `campaign` room (the one
 * the NGO console watches, client/console/campaign-live.ts) and reports every
 * state change. A published campaign is public: no session or room ticket is
 * needed to watch it. A lost connection is retried a few times, gently.
 */
import { Client, type Room } from "@colyseus/sdk";
import { CampaignState } from "../../shared/campaign-state.ts";
import { ROOM_CAMPAIGN } from "../../shared/messages.ts";

export interface LiveCampaign {
  campaignId: string;
  raisedCents: number;
  goalCents: number;
  units: number;
  donors: number;
  percent: number;
  /** Sponsors' matches (matching pledges), apart from the donors' gifts. */
  matchedCents: number;
  pledges: Array<{ id: string; sponsor: string; ratioPercent: number; matchedCents: number; leftCents: number; endsAt: string }>;
}

export class CampaignWatch {
  private room: Room<unknown, CampaignState> | undefined;
  private closed = false;
  private tries = 0;
  private readonly campaignId: string;
  private readonly onProgress: (p: LiveCampaign) => void;

  constructor(campaignId: string, onProgress: (p: LiveCampaign) => void) {
    this.campaignId = campaignId;
    this.onProgress = onProgress;
    void this.join();
  }

  private async join(): Promise<void> {
    try {
      const client = new Client(import.meta.env.VITE_SERVER_URL || location.origin);
      const room = await client.joinOrCreate(ROOM_CAMPAIGN, { campaignId: this.campaignId }, CampaignState);
      if (this.closed) {
        void room.leave(true).catch(() => undefined);
        return;
      }
      this.room = room;
      this.tries = 0;
      // Until the first full state is decoded, the fields are not there yet.
      const report = (s: CampaignState | undefined) => {
        if (!s?.campaignId) return;
        const pledges = [...(s.pledges ?? [])].map((p) => ({ id: p.id, sponsor: p.sponsor, ratioPercent: p.ratio, matchedCents: p.matched, leftCents: p.left, endsAt: p.endsAt }));
        this.onProgress({
          campaignId: s.campaignId, raisedCents: s.raised, goalCents: s.goal, units: s.units, donors: s.donors, percent: s.percent, matchedCents: s.matched ?? 0, pledges,
        });
      };
      room.onStateChange(report);
      report(room.state);
      room.onLeave(() => {
        this.room = undefined;
        this.retry();
      });
    } catch {
      this.retry();
    }
  }

  private retry(): void {
    if (this.closed || this.tries >= 5) return;
    this.tries += 1;
    setTimeout(() => void this.join(), 1000 * 2 ** this.tries);
  }

  close(): void {
    this.closed = true;
    void this.room?.leave(true).catch(() => undefined);
    this.room = undefined;
  }
}
