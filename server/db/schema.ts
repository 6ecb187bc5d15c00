/**
 * The database schema (drizzle, PostgreSQL dialect). The same tables run on
 * PGlite (embedded default) and PostgreSQL. Migrations in ./migrations are
 * generated from this file with `npm run db:generate` and committed.
 */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";

import { fundraisers } from "./fundraiser-schema.ts";
import { monthlyGifts } from "./monthly-schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const ngos = pgTable("ngos", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  legalName: text("legal_name").notNull(),
  purpose: text("purpose").notNull(),
  /** What French tax receipts need: postal address, legal status, signatory, number prefix. */
  address: jsonb("address").$type<{ addressLines: string[]; postalCode: string; city: string; country: string }>(),
  legalStatus: text("legal_status").notNull().default(""),
  registrationNumber: text("registration_number"),
  signatoryName: text("signatory_name"),
  signatoryTitle: text("signatory_title"),
  receiptPrefix: text("receipt_prefix").unique(),
  /** An NGO applies (pending); a platform administrator approves it before anything it publishes is visible. */
  status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull().default("pending"),
  contactName: text("contact_name").notNull().default(""),
  contactEmail: text("contact_email").notNull().default(""),
  website: text("website"),
  appliedBy: uuid("applied_by").references(() => players.id, { onDelete: "set null" }),
  reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
  reviewedBy: uuid("reviewed_by").references(() => players.id, { onDelete: "set null" }),
  reviewNote: text("review_note"),
  /**
   * The NGO's own Stripe account (Connect), where its donations are paid: `acct_…` from Stripe, or
   * `acct_test_local_…` simulated in TEST MODE. The flags mirror Stripe's Account object, kept up to
   * date by `account.updated`; an NGO whose account cannot take charges is not in the shop.
   */
  stripeAccountId: text("stripe_account_id").unique(),
  stripeDetailsSubmitted: boolean("stripe_details_submitted").notNull().default(false),
  stripeChargesEnabled: boolean("stripe_charges_enabled").notNull().default(false),
  stripePayoutsEnabled: boolean("stripe_payouts_enabled").notNull().default(false),
  /** Stripe's `requirements.currently_due` (plus `past_due`), shown in the console. */
  stripeRequirementsDue: jsonb("stripe_requirements_due").$type<string[]>().notNull().default([]),
  stripeAccountUpdatedAt: timestamp("stripe_account_updated_at", { withTimezone: true }),
  /**
   * Whether the NGO may issue French tax receipts (article 200 CGI), as it declares it with its
   * evidence: "none", "interet_general" (general-interest status, e.g. a rescrit) or
   * "utilite_publique" (recognised of public utility by decree). Only an eligible NGO issues any.
   */
  taxReceiptStatus: text("tax_receipt_status", { enum: ["none", "interet_general", "utilite_publique"] }).notNull().default("none"),
  /** The rescrit's or decree's reference, its date (YYYY-MM-DD) and, optionally, where the document is. */
  taxEvidenceReference: text("tax_evidence_reference"),
  taxEvidenceDate: text("tax_evidence_date"),
  taxEvidenceDocumentUrl: text("tax_evidence_document_url"),
  /** Days after a payment before it counts as received for a tax receipt (refunds are possible until then). */
  refundWindowDays: integer("refund_window_days").notNull().default(30),
  createdAt: createdAt(),
}, (t) => [
  check("ngos_status", sql`${t.status} in ('pending', 'approved', 'rejected')`),
  check("ngos_tax_receipt_status", sql`${t.taxReceiptStatus} in ('none', 'interet_general', 'utilite_publique')`),
  check("ngos_tax_evidence", sql`${t.taxReceiptStatus} = 'none' or (${t.taxEvidenceReference} is not null and ${t.taxEvidenceDate} is not null)`),
  check("ngos_refund_window", sql`${t.refundWindowDays} between 0 and 180`),
]);

export const projects = pgTable("projects", {
  id: uuid("id").primaryKey().defaultRandom(),
  ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
  slug: text("slug").notNull().unique(),
  nameFr: text("name_fr").notNull(),
  nameEn: text("name_en").notNull(),
  country: text("country").notNull(),
  createdAt: createdAt(),
});

export const gifts = pgTable(
  "gifts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    nameFr: text("name_fr").notNull(),
    nameEn: text("name_en").notNull(),
    impactFr: text("impact_fr").notNull(),
    impactEn: text("impact_en").notNull(),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull().default("EUR"),
    sprite: text("sprite").notNull(),
    active: boolean("active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    descriptionFr: text("description_fr").notNull().default(""),
    descriptionEn: text("description_en").notNull().default(""),
    /** How many units may ever be sold; null: no limit. */
    stockLimit: integer("stock_limit"),
    /** Sold only inside this window (either end may be open). */
    availableFrom: timestamp("available_from", { withTimezone: true }),
    availableUntil: timestamp("available_until", { withTimezone: true }),
    emergency: boolean("emergency").notNull().default(false),
    /** Set when the NGO retires the gift: it leaves the shop, and stays in the villages that own it. */
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    check("gifts_price_min", sql`${t.priceCents} >= 100`),
    check("gifts_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("gifts_stock_limit", sql`${t.stockLimit} is null or ${t.stockLimit} >= 0`),
    check("gifts_window", sql`${t.availableFrom} is null or ${t.availableUntil} is null or ${t.availableUntil} > ${t.availableFrom}`),
  ],
);

export const players = pgTable(
  "players",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    displayName: text("display_name").notNull(),
    createdAt: createdAt(),
    /** Who may visit the village: friends only (the default) or anyone. */
    villageVisibility: text("village_visibility", { enum: ["friends", "public"] }).notNull().default("friends"),
    /** Whether friends may see that this player is online and in which village (off by default). */
    showPresence: boolean("show_presence").notNull().default(false),
    /** Soft currency earned by farming (never money, never a donated gift). */
    coins: integer("coins").notNull().default(0),
    /** Set when the player deleted their account: the row stays, anonymised, for the orders and the ledger. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** Whether the player's village may appear, by name, on campaign leaderboards (off by default). */
    showOnLeaderboards: boolean("show_on_leaderboards").notNull().default(false),
    /** Whether, when named on a leaderboard, the amount given is shown too (off by default; migration 0016). */
    showAmountsOnLeaderboards: boolean("show_amounts_on_leaderboards").notNull().default(false),
    /** Whether my shared links carry my referral code and gifts they bring count for me (on by default; counts only). */
    shareReferrals: boolean("share_referrals").notNull().default(true),
    /** Whether the game plays its effects and music for this player (off until they turn it on; shared/sound.ts). */
    soundOn: boolean("sound_on").notNull().default(false),
    /** Whether a monthly mail tells the news of the projects I gave to (off by default). */
    impactDigest: boolean("impact_digest").notNull().default(false),
    /** The language of the mails nobody asked for at that moment (the monthly digest): the game's when the player last set it (migration 0027). */
    mailLocale: text("mail_locale", { enum: ["fr", "en"] }).notNull().default("fr"),
  },
  (t) => [
    check("players_village_visibility", sql`${t.villageVisibility} in ('friends', 'public')`),
    check("players_mail_locale", sql`${t.mailLocale} in ('fr', 'en')`),
    check("players_coins_range", sql`${t.coins} between 0 and 1000000`),
  ],
);

/** Bearer sessions, trusted by the API and the rooms alike: only the SHA-256 of the token is stored. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull().default(sql`now() + interval '365 days'`),
  },
  (t) => [index("sessions_player_idx").on(t.playerId)],
);

/**
 * Room tickets: what a client joins a room with instead of its session token
 * (which never travels in a websocket URL). Short-lived, used once, stored as
 * SHA-256, tied to the session that asked for it (signing out ends them too).
 */
export const roomTickets = pgTable(
  "room_tickets",
  {
    ticketHash: text("ticket_hash").primaryKey(),
    sessionHash: text("session_hash").notNull().references(() => sessions.tokenHash, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("room_tickets_expires_idx").on(t.expiresAt), index("room_tickets_session_idx").on(t.sessionHash)],
);

export const villages = pgTable("villages", {
  id: uuid("id").primaryKey().defaultRandom(),
  ownerId: uuid("owner_id").notNull().unique().references(() => players.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    playerId: uuid("player_id").notNull().references(() => players.id),
    /** The village the gifts go to. */
    villageId: uuid("village_id").notNull().references(() => villages.id),
    status: text("status", { enum: ["pending", "paid", "expired", "failed"] }).notNull().default("pending"),
    totalCents: integer("total_cents").notNull(),
    /** The giver allowed their name to be shown with a gift to someone else's village (off by default). */
    showGiverName: boolean("show_giver_name").notNull().default(false),
    /** The optional free amount on top of the gifts ("support the project"), included in totalCents. */
    supportCents: integer("support_cents").notNull().default(0),
    /** Cumulative amount refunded, as Stripe reports it on the charge. */
    refundedCents: integer("refunded_cents").notNull().default(0),
    disputeStatus: text("dispute_status", { enum: ["open", "won", "lost"] }),
    currency: text("currency").notNull(),
    /** "stripe" for real Checkout Sessions, "test" for the local TEST MODE checkout. */
    provider: text("provider", { enum: ["stripe", "test"] }).notNull(),
    checkoutSessionId: text("checkout_session_id").unique(),
    paymentIntentId: text("payment_intent_id").unique(),
    /**
     * Where the money goes (decided at checkout): a destination charge to the one NGO's Stripe account,
     * separate transfers to each NGO's account (transfer group order_<id>), or "platform": held on
     * Hameau's own account (an order from before Connect, or for an NGO with no account that can take charges).
     */
    chargeMode: text("charge_mode", { enum: ["platform", "destination", "separate"] }).notNull().default("platform"),
    /** The Stripe charge of the payment (ch_…), once known: the source of separate transfers. */
    chargeId: text("charge_id"),
    createdAt: createdAt(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** Given through a player's fundraiser (checked at checkout: active, and of the campaign of some of its gifts). */
    fundraiserId: uuid("fundraiser_id").references((): AnyPgColumn => fundraisers.id),
    /** The monthly gift whose invoice this order is (checkout_session_id is then the invoice id). */
    monthlyGiftId: uuid("monthly_gift_id").references((): AnyPgColumn => monthlyGifts.id),
  },
  (t) => [
    check("orders_total_positive", sql`${t.totalCents} > 0`),
    check("orders_support_range", sql`${t.supportCents} >= 0 and ${t.supportCents} < ${t.totalCents}`),
    check("orders_refund_range", sql`${t.refundedCents} >= 0 and ${t.refundedCents} <= ${t.totalCents}`),
    index("orders_player_idx").on(t.playerId),
    index("orders_monthly_gift_idx").on(t.monthlyGiftId).where(sql`${t.monthlyGiftId} is not null`),
    index("orders_fundraiser_idx").on(t.fundraiserId).where(sql`${t.fundraiserId} is not null`),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    giftId: uuid("gift_id").notNull().references(() => gifts.id),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    quantity: integer("quantity").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
    lineTotalCents: integer("line_total_cents").notNull(),
  },
  (t) => [
    check("order_lines_quantity", sql`${t.quantity} between 1 and 20`),
    check("order_lines_total", sql`${t.lineTotalCents} = ${t.unitPriceCents} * ${t.quantity}`),
    index("order_lines_order_idx").on(t.orderId),
  ],
);

export const villageItems = pgTable(
  "village_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    villageId: uuid("village_id").notNull().references(() => villages.id),
    /** Set for donated gifts; null for free decor and crops. */
    giftId: uuid("gift_id").references(() => gifts.id),
    /** Set for decorations bought with coins (shared/decorations.ts ids). */
    decorationId: text("decoration_id"),
    /** Set for a planted crop: the shared/farming.ts Crop (kind, plantedAt, growthMs, waterings). */
    crop: jsonb("crop").$type<{ kind: string; plantedAt: number; growthMs: number; waterings: Array<{ by: string; at: number }> }>(),
    orderLineId: uuid("order_line_id").references(() => orderLines.id),
    sprite: text("sprite").notNull(),
    x: integer("x"),
    y: integer("y"),
    createdAt: createdAt(),
    /**
     * Set when a refund or a lost dispute takes the gift back, or when the village's owner deleted
     * their account; the row stays for the audit trail (which paid order line granted what).
     */
    removedAt: timestamp("removed_at", { withTimezone: true }),
    /** No database check: a new reason needs no migration. */
    removalReason: text("removal_reason", { enum: ["refunded", "dispute_lost", "account_deleted"] }),
  },
  (t) => [
    uniqueIndex("village_items_tile").on(t.villageId, t.x, t.y).where(sql`${t.removedAt} is null`),
    index("village_items_village_idx").on(t.villageId),
    check("village_items_gift_has_line", sql`(${t.giftId} is null) = (${t.orderLineId} is null)`),
    check("village_items_one_kind", sql`num_nonnulls(${t.giftId}, ${t.decorationId}, ${t.crop}) <= 1`),
  ],
);

/** Every verified Stripe event, stored before it is processed. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    outcome: text("outcome"),
    /** The payment intent the event is about (charges, refunds, disputes): how a waiting event finds its order. */
    paymentIntentId: text("payment_intent_id"),
    /**
     * The webhook endpoint it came through: "platform" (Hameau's own account) or "connect" (an NGO's
     * connected account). An event stored unprocessed is replayed through its own endpoint's dispatch.
     */
    endpoint: text("endpoint", { enum: ["platform", "connect"] }).notNull().default("platform"),
  },
  (t) => [
    index("stripe_events_waiting_idx").on(t.paymentIntentId).where(sql`${t.processedAt} is null`),
    check("stripe_events_endpoint", sql`${t.endpoint} in ('platform', 'connect')`),
    index("stripe_events_unprocessed_idx").on(t.receivedAt).where(sql`${t.processedAt} is null`),
  ],
);

/** A ledger transaction groups entries that sum to zero. Never updated. */
export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /**
     * transfer / transfer_reversal: money sent to (or pulled back from) an NGO's Stripe account;
     * payout: an NGO's Stripe account paid out to its bank, as Stripe reports it; application_fee:
     * a platform fee (Hameau takes none on gifts); refund_correction: a refund that failed or shrank;
     * pledge / match / unmatch: a sponsor's matching pledge and what it matched, on memo accounts only
     * (the sponsor pays the NGO directly: never money Hameau holds).
     */
    kind: text("kind", {
      enum: [
        "donation", "refund", "dispute", "dispute_reversal", "fee", "transfer", "transfer_reversal", "payout", "application_fee", "refund_correction",
        "pledge", "match", "unmatch",
      ],
    }).notNull(),
    /** Idempotency key of the money movement, e.g. "donation:<order>", "refund:<order>:<cumulative>". */
    sourceKey: text("source_key").notNull().unique(),
    orderId: uuid("order_id").references(() => orders.id),
    stripeEventId: text("stripe_event_id").references(() => stripeEvents.id),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ledger_one_donation_per_order").on(t.orderId).where(sql`${t.kind} = 'donation'`),
    index("ledger_transactions_order_idx").on(t.orderId),
  ],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    transactionId: uuid("transaction_id").notNull().references(() => ledgerTransactions.id),
    line: integer("line").notNull(),
    /** e.g. "asset:stripe", "ngo:<id>:project:<id>". Debits positive, credits negative. */
    account: text("account").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
  },
  (t) => [primaryKey({ columns: [t.transactionId, t.line] }), check("ledger_entries_nonzero", sql`${t.amountCents} <> 0`)],
);

/** Things a player must be told (a gift taken back, …), shown in their village until read. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["gift_withdrawn", "gift_received", "impact_update", "gift_restored", "ngo_invitation", "milestone_reached", "friend_request", "friend_accepted", "crops_helped", "thanks_received", "dedication_received"] }).notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_player_idx").on(t.playerId)],
);

export * from "./social-schema.ts";
export * from "./mail-queue-schema.ts";
export * from "./ngo-schema.ts";
export * from "./transfer-schema.ts";
export * from "./payment-outcomes-schema.ts";
export * from "./milestone-schema.ts";
export * from "./referral-schema.ts";
export * from "./matching-schema.ts";
export * from "./fundraiser-schema.ts";
export * from "./embed-schema.ts";
export * from "./progress-schema.ts";
export * from "./thanks-schema.ts";
export * from "./collection-schema.ts";
export * from "./monthly-schema.ts";
export * from "./dedication-schema.ts";
export * from "./receipt-schema.ts";
