/**
 * The NGO console's tables: platform administrators, NGO members and their
 * roles, campaigns and the gifts they include, impact updates with their
 * photos, and the fund trail of gifts. Re-exported by schema.ts, so drizzle
 * sees one schema. NGO applications live on the ngos row itself (status).
 */
import { sql } from "drizzle-orm";
import { boolean, check, customType, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { gifts, ngos, players, projects } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/** Players who may approve NGOs (the first one is made from the command line). */
export const platformAdmins = pgTable("platform_admins", {
  playerId: uuid("player_id").primaryKey().references(() => players.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
});

/** Who works for an NGO, and with which role: admin (members, settings), editor (catalog, campaigns, updates), viewer (reports). */
export const ngoMembers = pgTable(
  "ngo_members",
  {
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id, { onDelete: "cascade" }),
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["admin", "editor", "viewer"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ngoId, t.playerId] }),
    index("ngo_members_player_idx").on(t.playerId),
    check("ngo_members_role", sql`${t.role} in ('admin', 'editor', 'viewer')`),
  ],
);

/**
 * An NGO admin invited an account to join with a role: it becomes a member only once that player
 * accepts (a declined or withdrawn invitation is deleted). One pending invitation per player and NGO.
 */
export const ngoInvitations = pgTable(
  "ngo_invitations",
  {
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id, { onDelete: "cascade" }),
    playerId: uuid("player_id").notNull().references(() => players.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["admin", "editor", "viewer"] }).notNull(),
    invitedBy: uuid("invited_by").references(() => players.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ngoId, t.playerId] }),
    index("ngo_invitations_player_idx").on(t.playerId),
    check("ngo_invitations_role", sql`${t.role} in ('admin', 'editor', 'viewer')`),
  ],
);

/** A campaign: a goal, a period and the gifts it counts. Progress is read from paid orders, never stored. */
export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    titleFr: text("title_fr").notNull(),
    titleEn: text("title_en").notNull(),
    descriptionFr: text("description_fr").notNull().default(""),
    descriptionEn: text("description_en").notNull().default(""),
    goalCents: integer("goal_cents").notNull(),
    currency: text("currency").notNull().default("EUR"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** An emergency campaign reaches every online player's village once published. */
    emergency: boolean("emergency").notNull().default(false),
    /** Null while a draft: players see only published campaigns. */
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check("campaigns_goal_positive", sql`${t.goalCents} > 0`),
    check("campaigns_period", sql`${t.endsAt} > ${t.startsAt}`),
    index("campaigns_ngo_idx").on(t.ngoId),
  ],
);

export const campaignGifts = pgTable(
  "campaign_gifts",
  {
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    giftId: uuid("gift_id").notNull().references(() => gifts.id),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.giftId] }), index("campaign_gifts_gift_idx").on(t.giftId)],
);

/** A photo, validated and re-encoded by the server (never the uploaded bytes as they came). */
export const photos = pgTable("photos", {
  id: uuid("id").primaryKey().defaultRandom(),
  ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
  mimeType: text("mime_type").notNull(),
  width: integer("width").notNull(),
  height: integer("height").notNull(),
  bytes: bytea("bytes").notNull(),
  createdAt: createdAt(),
});

/** News from the field about a project, shown in the feed of every donor to that project. */
export const impactUpdates = pgTable(
  "impact_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ngoId: uuid("ngo_id").notNull().references(() => ngos.id),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    titleFr: text("title_fr").notNull(),
    titleEn: text("title_en").notNull(),
    bodyFr: text("body_fr").notNull(),
    bodyEn: text("body_en").notNull(),
    photoId: uuid("photo_id").references(() => photos.id),
    authorId: uuid("author_id").references(() => players.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("impact_updates_project_idx").on(t.projectId, t.createdAt)],
);

/**
 * The fund trail of a gift: the NGO says that the units of a gift paid up to
 * `coversPaidBefore` reached a stage (sent to the field, in use) on a date.
 * "Funded" is each unit's own payment date. Appended, never edited.
 */
export const fundTrailSteps = pgTable(
  "fund_trail_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    giftId: uuid("gift_id").notNull().references(() => gifts.id),
    stage: text("stage", { enum: ["sent_to_field", "in_use"] }).notNull(),
    happenedOn: date("happened_on").notNull(),
    coversPaidBefore: timestamp("covers_paid_before", { withTimezone: true }).notNull(),
    noteFr: text("note_fr").notNull().default(""),
    noteEn: text("note_en").notNull().default(""),
    authorId: uuid("author_id").references(() => players.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("fund_trail_steps_gift_idx").on(t.giftId, t.stage, t.coversPaidBefore),
    check("fund_trail_steps_stage", sql`${t.stage} in ('sent_to_field', 'in_use')`),
  ],
);
