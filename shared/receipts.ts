/**
 * The data of the two receipts Hameau issues, shared by the server (which
 * renders them as PDF, server/receipts/) and the client (which may list or
 * preview them). Amounts are integer cents of euros, like everywhere else.
 *
 * - TaxReceipt: the French tax receipt ("reçu fiscal"), the content of the
 *   Cerfa n° 11580 model, for donations that open the income tax reduction of
 *   article 200 du code général des impôts. Usually one per donor and year.
 * - DonationReceipt: a plain proof of payment for one order. It is NOT a tax
 *   receipt and says so.
 */
import type { Locale } from "./money.ts";

export interface PostalAddress {
  /** Street lines, in order ("12 rue des Lilas", "Bâtiment B"). */
  addressLines: string[];
  postalCode: string;
  city: string;
  /** Country name as printed ("France"). */
  country: string;
}

/** The organisation that receives the donations and issues the receipt. */
export interface ReceiptNgo {
  /** Public name ("Semences Solidaires"). */
  name: string;
  /** Registered name ("Association Semences Solidaires"). */
  legalName: string;
  address: PostalAddress;
  /** Its objet, as in its statutes. */
  purpose: string;
  /** e.g. "Association loi 1901 reconnue d'intérêt général". */
  legalStatus: string;
  /** Optional identifier printed under the name (SIREN, RNA number…). */
  registrationNumber?: string;
}

export interface TaxReceiptDonor extends PostalAddress {
  firstName: string;
  lastName: string;
}

/** Cerfa n° 11580, "Forme du don". */
export type TaxDonationForm =
  | "Don manuel"
  | "Déclaration de don manuel"
  | "Acte authentique"
  | "Acte sous seing privé"
  | "Autres";

/** Cerfa n° 11580, "Nature du don". */
export type TaxDonationNature = "Numéraire" | "Titres de sociétés cotés" | "Autres";

export interface TaxReceiptDonation {
  /** When the payment was received. */
  date: Date;
  amountCents: number;
  /** "Mode de versement", e.g. "Carte bancaire (Stripe)". */
  method: "Carte bancaire (Stripe)" | "Virement" | "Chèque" | "Espèces" | (string & {});
  form: TaxDonationForm;
  nature: TaxDonationNature;
}

export interface TaxReceipt {
  /** Unique, sequential receipt number ("numéro d'ordre"), e.g. "SEMSOL-2026-000042". */
  number: string;
  /** The calendar year the donations were paid in (Europe/Paris time). */
  year: number;
  issuedAt: Date;
  /** "Fait à …": defaults to the NGO's city. */
  placeOfIssue?: string;
  ngo: ReceiptNgo;
  donor: TaxReceiptDonor;
  /** At least one; an annual receipt lists every payment of the year. */
  donations: TaxReceiptDonation[];
  /** Must equal the sum of the donations. */
  totalCents: number;
  signatory: { name: string; title: string };
  /** Set on an "annule et remplace" receipt: the receipt it cancels and replaces. */
  replaces?: { number: string; issuedAt: Date };
  /**
   * Sponsors who matched these donations (matching pledges): printed as a mention that their match is
   * their own gift, not included in the amount certified (which is the donor's own gifts only).
   */
  sponsorMatches?: Array<{ sponsor: string; matchedCents: number }>;
}

/** How a cancelled receipt is re-printed: its content unchanged, stamped cancelled. */
export interface TaxReceiptCancellation {
  cancelledAt: Date;
  reason: "refunded" | "dispute_lost";
  /** The number of the receipt that replaces it, or null when nothing was left to certify. */
  replacedBy: string | null;
}

export interface DonationReceiptLine {
  giftName: string;
  projectName: string;
  /** The NGO the line's money went to (printed under the project). */
  ngoName?: string;
  quantity: number;
  unitPriceCents: number;
  /** quantity × unitPriceCents. */
  amountCents: number;
  /** What was refunded (or lost in a dispute) of this line, as the ledger split it; 0 or absent: none. */
  refundedCents?: number;
}

/** What each NGO of the basket received, net of refunds (as booked). */
export interface DonationReceiptNgoShare {
  name: string;
  legalName: string;
  paidCents: number;
  refundedCents: number;
}

export interface DonationReceipt {
  locale: Locale;
  orderId: string;
  paidAt: Date;
  /** e.g. "Carte bancaire (Stripe)" / "Card (Stripe)". */
  paymentMethod: string;
  /** The beneficiary (or the first one, when an order mixes NGOs). */
  ngo: Pick<ReceiptNgo, "name" | "legalName"> & Partial<Pick<ReceiptNgo, "address" | "registrationNumber">>;
  donor?: { name?: string; email?: string };
  lines: DonationReceiptLine[];
  /** Must equal the sum of the lines. */
  totalCents: number;
  /** Every NGO of the basket with its share (one entry for a one-NGO order). */
  ngos?: DonationReceiptNgoShare[];
  /** Refunded in all (refunds and a lost dispute); must equal the sum of the lines' refunds. */
  refundedCents?: number;
  /** Sponsors' matches of this order (matching pledges): printed as theirs, never in the amounts above. */
  sponsorMatches?: Array<{ sponsor: string; matchedCents: number }>;
}
