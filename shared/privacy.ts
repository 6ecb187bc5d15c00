/**
 * The player's own data: the export document (GET /api/me/export) and the
 * account deletion request (DELETE /api/me). Shared by the server, which
 * builds and validates them, and the client, which offers both.
 *
 * Times are ISO 8601 strings, money integer cents with its ISO currency.
 * Nothing secret is ever in an export: no password hash, no session or invite
 * token, no token hash.
 */
import type { PreferencesView } from "./sound.ts";
import { z } from "zod";
import type { PlayerView, Translated } from "./api.ts";
import type { Currency } from "./money.ts";
import type { PrivacySettings } from "./social.ts";
import type { ItemKind } from "./state.ts";

/** The word the player types to confirm a deletion. */
export const DELETE_CONFIRMATION = "DELETE";

/**
 * Delete my account. `confirm` must be exactly "DELETE" (else 400
 * confirmation_required). An account (not a guest) must also give its current
 * password (missing or wrong: 401 invalid_credentials). Refused, nothing changes.
 */
export const DeleteAccountRequest = z.object({
  confirm: z.literal(DELETE_CONFIRMATION, { error: `confirm must be "${DELETE_CONFIRMATION}"` }),
  password: z.string({ error: "password must be text" }).max(200, { error: "password is too long" }).optional(),
});
export type DeleteAccountRequest = z.input<typeof DeleteAccountRequest>;

/**
 * The close code of a village room connection when its player deleted their account, or when the
 * village's owner did (the village is gone). No reconnection follows.
 */
export const CLOSE_ACCOUNT_DELETED = 4410;

/** Version of the export document's shape. */
export const EXPORT_FORMAT = "hameau-export/1";

/** The file name of an export made on that day: hameau-export-YYYY-MM-DD.json (UTC). */
export function exportFileName(now: Date): string {
  return `hameau-export-${now.toISOString().slice(0, 10)}.json`;
}

export interface ExportCrop {
  kind: string;
  /** Epoch milliseconds. */
  plantedAt: number;
  growthMs: number;
  waterings: Array<{ by: string; at: number }>;
}

export interface ExportVillageItem {
  id: string;
  kind: ItemKind;
  sprite: string;
  /** Null while the item waits in the barn. */
  tile: { x: number; y: number } | null;
  createdAt: string;
  /** Donated gifts: the catalog gift and the order that paid for it. */
  giftId: string | null;
  orderId: string | null;
  decorationId: string | null;
  crop: ExportCrop | null;
  /** Set when a refund or a lost dispute took the gift back. */
  removedAt: string | null;
  removalReason: string | null;
}

export interface ExportOrderLine {
  giftId: string;
  gift: Translated;
  ngo: { id: string; name: string };
  project: { id: string; name: Translated };
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface ExportOrder {
  id: string;
  status: "pending" | "paid" | "expired" | "failed";
  /** The village the gifts went to (the player's own, or someone else's). */
  villageId: string;
  toOwnVillage: boolean;
  showGiverName: boolean;
  totalCents: number;
  supportCents: number;
  refundedCents: number;
  disputeStatus: "open" | "won" | "lost" | null;
  currency: Currency;
  provider: "stripe" | "test";
  createdAt: string;
  paidAt: string | null;
  lines: ExportOrderLine[];
}

export interface ExportNotification {
  id: string;
  kind: string;
  payload: unknown;
  createdAt: string;
  readAt: string | null;
}

export interface ExportTaxReceipt {
  id: string;
  number: string;
  year: number;
  ngo: { id: string; name: string };
  totalCents: number;
  currency: "EUR";
  issuedAt: string;
}

export interface ExportRelation {
  player: PlayerView;
  createdAt: string;
}

/** Everything Hameau holds about one player. */
export interface DataExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  player: { id: string; name: string; createdAt: string; settings: PrivacySettings; preferences: PreferencesView; coins: number };
  /** Null for a guest. */
  account: { email: string; createdAt: string } | null;
  /** Open sessions (signed-in devices): when they began and end. Never a token. */
  sessions: Array<{ createdAt: string; expiresAt: string; current: boolean }>;
  village: { id: string; name: string; createdAt: string; items: ExportVillageItem[] };
  /** The player's own orders (the money they gave), with their lines. */
  orders: ExportOrder[];
  notifications: ExportNotification[];
  /** Identity and address given for tax receipts, if any. */
  donorProfile: {
    firstName: string;
    lastName: string;
    addressLines: string[];
    postalCode: string;
    city: string;
    country: string;
    updatedAt: string;
  } | null;
  taxReceipts: ExportTaxReceipt[];
  friends: Array<ExportRelation & { acceptedAt: string | null }>;
  friendRequests: { incoming: ExportRelation[]; outgoing: ExportRelation[] };
  /** Players this player blocked (never who blocked them). */
  blocks: ExportRelation[];
  /** Friend invite links this player made. Never a token. */
  invites: Array<{ createdAt: string; expiresAt: string; revokedAt: string | null }>;
  /** The fundraisers this player started (shared/fundraisers.ts); never who gave through them. */
  fundraisers: ExportFundraiser[];
  /** My share code (null if never made) and what my links brought, per campaign: counts only, never who gave. */
  referrals: { code: string | null; campaigns: Array<{ campaignId: string; gifts: number; donations: number }> };
  /** Daily play: XP, the rewards claimed, and the rewarded helps given and received per Paris day (by player id). */
  progress: {
    xp: number;
    claims: Array<{ day: string; reward: string; coins: number; xp: number }>;
    helpsGiven: Array<{ day: string; ownerId: string; helps: number }>;
    helpsReceived: Array<{ day: string; helperId: string; helps: number }>;
  };
  /** The thank-yous I sent for gifts received in my village (shared/neighbours.ts), by order; never who gave. */
  thanksSent: Array<{ orderId: string; note: string | null; decorationId: string | null; createdAt: string }>;
  /** The monthly impact digests decided for me, by month: sent (queued), or skipped and why; when its link unsubscribed me. */
  impactDigests: Array<{ month: string; status: "due" | "sent" | "skipped"; outcome: string | null; unsubscribedAt: string | null }>;
  /** My monthly gifts (shared/monthly-gifts.ts): each paid month is also an order above. */
  monthlyGifts: Array<{
    id: string; giftId: string; ngoId: string; projectId: string; amountCents: number; currency: string; status: string;
    provider: "stripe" | "test"; createdAt: string; nextInvoiceAt: string | null; cancelledAt: string | null;
  }>;
}

export interface ExportFundraiser {
  id: string;
  campaignId: string;
  title: string;
  message: string;
  goalCents: number;
  listed: boolean;
  showName: boolean;
  createdAt: string;
  closedAt: string | null;
  /** Set when the campaign's NGO hid it. */
  hiddenAt: string | null;
}
