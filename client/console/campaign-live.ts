/**
 * Live progress of one campaign: joins the `campaign` room (the same one
 * players watch) with a room ticket for the console's session and reports
 * every state change.
 */
import { Client, type Room } from "@colyseus/sdk";
import { CampaignState } from "../../shared/campaign-state.ts";
import { api } from "../net/api.ts";

export const ROOM_CAMPAIGN = "campaign";

export interface LiveProgress {
  raisedCents: number;
  goalCents: number;
  units: number;
  donors: number;
  percent: number;
  leaderboard: Array<{ rank: number; name: string; units: number }>;
  others: { villages: number; units: number };
  /** Sponsors' matches (matching pledges), apart from the donors' gifts. */
  matchedCents: number;
  pledges: Array<{ id: string; matchedCents: number; leftCents: number; endsAt: string }>;
}

export class CampaignLive {
  private room: Room<unknown, CampaignState> | undefined;
  private closed = false;

  /** Joins; `onProgress` runs with the first state and after every change. Rejects when the room refuses. */
  async open(token: string, campaignId: string, onProgress: (p: LiveProgress) => void): Promise<void> {
    const client = new Client(import.meta.env.VITE_SERVER_URL || location.origin);
    // A room ticket, not the token: a campaign not public yet opens to its NGO's members only.
    const { ticket } = await api.roomTicket(token);
    const room = await client.joinOrCreate(ROOM_CAMPAIGN, { campaignId, ticket }, CampaignState);
    if (this.closed) {
      void room.leave(true);
      return;
    }
    this.room = room;
    // Until the first full state is decoded, the fields are not there yet.
    const report = (state: CampaignState | undefined) => state?.campaignId && onProgress(snapshot(state));
    room.onStateChange(report);
    report(room.state);
  }

  close(): void {
    this.closed = true;
    void this.room?.leave(true).catch(() => undefined);
    this.room = undefined;
  }
}

function snapshot(s: CampaignState): LiveProgress {
  return {
    raisedCents: s.raised, goalCents: s.goal, units: s.units, donors: s.donors, percent: s.percent,
    leaderboard: [...(s.leaderboard ?? [])].map((e) => ({ rank: e.rank, name: e.name, units: e.units })),
    others: { villages: s.otherVillages, units: s.otherUnits },
    matchedCents: s.matched ?? 0,
    pledges: [...(s.pledges ?? [])].map((p) => ({ id: p.id, matchedCents: p.matched, leftCents: p.left, endsAt: p.endsAt })),
  };
}
