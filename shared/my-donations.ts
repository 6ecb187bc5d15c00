/**
 * "My donations": every order of the player, as the donor keeps their
 * papers (GET /api/me/donations, and /api/me/donations/:orderId). What each
 * paid, what came back, to which NGO, the payment receipt (PDF) and the tax
 * receipts the order is on. Only the caller's own orders.
 */
import type { DedicationView } from "./dedications.ts";
import type { TaxReceiptListItem } from "./api.ts";
import type { OrderMatch } from "./matching.ts";

export const DONATION_STATUSES = [
  "pending", "expired", "failed", "paid", "refunded_partially", "refunded", "disputed", "dispute_won", "dispute_lost",
] as const;
export type DonationStatus = (typeof DONATION_STATUSES)[number];

/** One order's status for its donor, from the order's facts. A dispute says more than a refund. */
export function donationStatus(o: { status: "pending" | "paid" | "expired" | "failed"; totalCents: number; refundedCents: number; disputeStatus: "open" | "won" | "lost" | null }): DonationStatus {
  if (o.status !== "paid") return o.status;
  if (o.disputeStatus === "open") return "disputed";
  if (o.disputeStatus === "lost") return "dispute_lost";
  if (o.refundedCents >= o.totalCents) return "refunded";
  if (o.refundedCents > 0) return "refunded_partially";
  if (o.disputeStatus === "won") return "dispute_won";
  return "paid";
}

export interface MyDonationLine {
  giftId: string;
  giftName: { fr: string; en: string };
  projectName: { fr: string; en: string };
  ngoName: string;
  quantity: number;
  amountCents: number;
  /** Taken back from this line (refunds, a lost dispute), as the books split it. */
  refundedCents: number;
  /** The extra support (booked to the project of the largest line), not a gift. */
  support?: true;
}

export interface MyDonation {
  orderId: string;
  createdAt: string;
  paidAt: string | null;
  status: DonationStatus;
  currency: string;
  totalCents: number;
  refundedCents: number;
  /** Set when the gifts went to a friend's village: its name. */
  giftedTo: string | null;
  lines: MyDonationLine[];
  /** Every NGO of the basket, with what it received and gave back. */
  ngos: Array<{ ngoId: string; name: string; paidCents: number; refundedCents: number }>;
  /** The payment receipt (PDF) path without its ?lang=, for a paid order; null otherwise. */
  receiptPath: string | null;
  /** The tax receipts covering this order (its NGOs, its year), cancelled ones included. */
  taxReceipts: TaxReceiptListItem[];
  /** Sponsors' matches of this order ("matched by …"): their gift, never in the amounts above. Present only when matched. */
  matches?: OrderMatch[];
  /** Dedicated "in honour of" someone (only the giver sees this): present only when dedicated. */
  dedication?: DedicationView;
}

export interface MyDonationsResponse {
  donations: MyDonation[];
  /** Every tax receipt of the donor, newest first, cancelled ones included. */
  taxReceipts: TaxReceiptListItem[];
}

/** GET /api/me/donations/:orderId: one of the caller's orders (404 for anyone else's). */
export interface MyDonationResponse {
  donation: MyDonation;
}
