/**
 * The JSON API's request and response shapes. Requests are zod schemas the
 * server validates at the door; responses are types both sides compile against.
 */
import { z } from "zod";
import type { OrderMatch } from "./matching.ts";
import type { Currency } from "./money.ts";
import { ReferralInput } from "./referrals.ts";
import type { PrivacySettings } from "./social.ts";
import { DedicationInput } from "./dedications.ts";

export interface Translated {
  fr: string;
  en: string;
}

export interface CatalogGift {
  id: string;
  slug: string;
  name: Translated;
  impact: Translated;
  priceCents: number;
  currency: Currency;
  sprite: string;
  ngo: { id: string; name: string };
  project: { id: string; name: Translated };
  /** Longer text about the gift ("" when the NGO wrote none). */
  description: Translated;
  /** The NGO flagged it as an emergency. */
  emergency: boolean;
  /** Units still for sale; null when the stock is unlimited. */
  stockLeft: number | null;
}

export interface CatalogResponse {
  gifts: CatalogGift[];
  /** When an availability window next opens or closes (ISO time): the shop refetches then. Null: none ahead. */
  nextChangeAt: string | null;
}

/**
 * GET /api/gifts/:giftId: a gift players may see, for drawing and describing
 * it in a village even after it left the shop (retired, ended, sold out).
 */
export interface PublicGiftResponse {
  gift: CatalogGift;
  /** True while it is in the shop. */
  onSale: boolean;
}

export interface PlayerView {
  id: string;
  name: string;
}

/** POST /api/room-tickets: what a client joins a room with (single use, short-lived), never its session token. */
export interface RoomTicketResponse {
  ticket: string;
  expiresInSeconds: number;
}

export interface SessionResponse {
  /** Bearer token for the API (the rooms take a room ticket); shown once, stored by the client. */
  token: string;
  player: PlayerView;
  villageId: string;
}

/** GET /api/tutorial/neighbour: the demo neighbour's public village, which the tutorial visits. */
export interface TutorialNeighbourResponse {
  villageId: string;
  name: string;
}

export interface MeResponse {
  player: PlayerView;
  villageId: string;
  /** Null for a guest (a token on this device only). */
  account: { email: string } | null;
  settings: PrivacySettings;
}

export const LocaleSchema = z.enum(["fr", "en"]);

export const CheckoutRequest = z.object({
  lines: z
    .array(
      z.object({
        giftId: z.uuid({ error: "giftId must be a gift id" }),
        quantity: z.number({ error: "quantity must be a number" }),
      }),
    )
    .max(100, { error: "too many lines" }),
  /** Optional free amount on top of the gifts, in cents (validated by the pricing rule). */
  supportCents: z.number({ error: "supportCents must be a number" }).default(0),
  locale: LocaleSchema.default("fr"),
  /**
   * Give into someone else's village (a friend's, or a public one): its id. Omitted, the gifts go
   * to the buyer's own village.
   */
  villageId: z.uuid({ error: "villageId must be a village id" }).optional(),
  /** With a gift to someone else: show my name with it (off by default). */
  showGiverName: z.boolean({ error: "showGiverName must be true or false" }).default(false),
  /**
   * The shared link this browser came from (kept 30 days, first-party): `{ code, channel }`.
   * Malformed, it is ignored, never a refusal (shared/referrals.ts).
   */
  referral: ReferralInput,
  /**
   * Give through a player's fundraiser (shared/fundraisers.ts): it must be active and the basket hold
   * at least one gift of its campaign (else 400 fundraiser_closed / fundraiser_campaign_mismatch,
   * nothing written). Only the campaign's gifts count for it.
   */
  fundraiserId: z.uuid({ error: "fundraiserId must be a fundraiser id" }).optional(),
  /**
   * Dedicate the gifts "in honour of" someone (shared/dedications.ts): delivered on its date to a
   * village the buyer may visit or as an e-card by mail, once the order is paid.
   */
  dedication: DedicationInput.optional(),
});
export type CheckoutRequest = z.input<typeof CheckoutRequest>;

export interface CheckoutResponse {
  orderId: string;
  checkoutUrl: string;
  totalCents: number;
  currency: Currency;
  /** True when no Stripe key is configured: the URL is the local TEST MODE page. */
  testMode: boolean;
}

export const ORDER_STATUSES = ["pending", "paid", "expired"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderView {
  id: string;
  status: OrderStatus;
  totalCents: number;
  currency: Currency;
  createdAt: string;
  paidAt: string | null;
  lines: Array<{ giftId: string; quantity: number; unitPriceCents: number }>;
  /** Sponsors' matches of this order (matching pledges): theirs, not the donor's. Present only when matched. */
  matches?: OrderMatch[];
  /** Dedicated to someone (only its payer reads an order): where and when it is delivered. Present only when dedicated. */
  dedication?: { kind: "village" | "email"; honoreeName: string; deliverOn: string };
}

/** Who the donor is, for French tax receipts (all fields printed on the receipt). */
const line = (max: number) => z.string().trim().min(1, { error: "required" }).max(max, { error: `at most ${max} characters` })
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: "no control characters" });
export const DonorProfileRequest = z.object({
  firstName: line(80),
  lastName: line(80),
  addressLines: z.array(line(120)).min(1, { error: "at least one address line" }).max(3, { error: "at most three lines" }),
  postalCode: z.string().trim().regex(/^[A-Za-z0-9 -]{3,10}$/, { error: "not a postal code" }),
  city: line(80),
  country: line(60).default("France"),
});
export type DonorProfile = z.output<typeof DonorProfileRequest>;

export const TaxReceiptRequest = z.object({
  ngoId: z.uuid({ error: "ngoId must be an NGO id" }),
  year: z.number().int().min(2000).max(2100),
});

/** A tax receipt as its donor lists it: the one in force, or one cancelled (by a refund or a lost dispute). */
export interface TaxReceiptListItem {
  id: string;
  number: string;
  ngoId: string;
  ngoName: string;
  year: number;
  totalCents: number;
  status: "issued" | "cancelled";
  issuedAt: string;
  cancelledAt: string | null;
  /** The number of the receipt this one cancels and replaces. */
  replaces: string | null;
  /** The number of the receipt that replaced this cancelled one. */
  replacedBy: string | null;
}

export interface TaxReceiptSummary {
  year: number;
  ngos: Array<{
    ngoId: string; ngoName: string;
    /** Net of refunds and lost disputes, from the ledger. */
    totalCents: number; payments: number;
    /** The receipt in force, if issued. */
    receipt: { id: string; number: string } | null;
    /** Whether the NGO may issue tax receipts at all (false: the donor is told why, nothing to ask). */
    eligible: boolean;
    /** Set while a payment of that year is inside the NGO's refund window: when the receipt can be issued (ISO). */
    availableFrom: string | null;
    /** Every receipt of that NGO and year, cancelled ones included, newest first. */
    history: TaxReceiptListItem[];
  }>;
}
