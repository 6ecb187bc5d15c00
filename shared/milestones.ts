/**
 * Campaign milestones: steps of a campaign's goal (a whole percent, a title in
 * French and English, and the decoration it gives). When a payment takes the
 * campaign's progress to a milestone, that milestone is reached (once, for
 * good: a refund that lowers the progress afterwards takes nothing back), and
 * every village that gave to the campaign gets its decoration.
 *
 * An NGO may set its own milestones per campaign; without them the defaults
 * (25, 50 and 100 % of the goal) apply. Pure rules; the server stores and
 * applies them (server/services/milestones.ts).
 */
import { z } from "zod";
import type { Translated } from "./api.ts";
import type { ArtSprite } from "./sprites.ts";
import { checkText } from "./text.ts";

/** The decorations a milestone may give: things that stand on a tile, from the art set. */
export const MILESTONE_SPRITES = [
  "flower-bed", "flower", "sunflower", "fence", "mailbox", "lantern", "bench", "scarecrow", "fountain", "tree", "pine", "beehive", "well",
] as const satisfies readonly ArtSprite[];
export type MilestoneSprite = (typeof MILESTONE_SPRITES)[number];

export const MILESTONES_MAX = 10;
export const MILESTONE_PERCENT_MAX = 1000;
export const MILESTONE_TITLE_MAX = 80;

export interface MilestoneInput {
  percent: number;
  titleFr: string;
  titleEn: string;
  sprite: MilestoneSprite;
}

/** What applies to a campaign whose NGO set none. */
export const DEFAULT_MILESTONES: readonly MilestoneInput[] = [
  { percent: 25, titleFr: "Un quart du chemin", titleEn: "A quarter of the way", sprite: "flower-bed" },
  { percent: 50, titleFr: "À mi-chemin", titleEn: "Halfway there", sprite: "lantern" },
  { percent: 100, titleFr: "Objectif atteint", titleEn: "Goal reached", sprite: "fountain" },
];

/** A milestone as players and the console see it. */
export interface MilestoneView {
  /** Null for a default milestone not written yet (nothing reached it). */
  id: string | null;
  percent: number;
  title: Translated;
  sprite: MilestoneSprite;
  /** When a payment reached it (ISO), or null. Once set, it stays. */
  reachedAt: string | null;
}

/** A stored milestone, as the rules need it. */
export interface StoredMilestone extends MilestoneInput {
  id: string;
  reachedAt: Date | null;
}

export function isMilestoneSprite(value: unknown): value is MilestoneSprite {
  return typeof value === "string" && (MILESTONE_SPRITES as readonly string[]).includes(value);
}

const title = (lang: string) =>
  z
    .string({ error: `the ${lang} title must be text` })
    .trim()
    .min(1, { error: `the ${lang} title is missing` })
    .max(MILESTONE_TITLE_MAX, { error: `the ${lang} title has at most ${MILESTONE_TITLE_MAX} characters` })
    .superRefine(checkText(`the ${lang} title`, "line"));

export const MilestoneRequest = z
  .object({
    percent: z
      .number({ error: "percent must be a number" })
      .int({ error: "percent must be a whole number" })
      .min(1, { error: "percent must be at least 1" })
      .max(MILESTONE_PERCENT_MAX, { error: `percent must be at most ${MILESTONE_PERCENT_MAX}` }),
    titleFr: title("French"),
    titleEn: title("English"),
    sprite: z.enum(MILESTONE_SPRITES, { error: "sprite must be one of the milestone decorations" }),
  })
  .strict();

/**
 * PUT /api/ngos/:ngoId/campaigns/:campaignId/milestones: the campaign's whole list. An empty list
 * means "the defaults". Milestones already reached stay as they are and must be in the list unchanged.
 */
export const MilestonesRequest = z
  .object({
    milestones: z
      .array(MilestoneRequest, { error: "milestones must be a list" })
      .max(MILESTONES_MAX, { error: `a campaign has at most ${MILESTONES_MAX} milestones` })
      .refine((list) => new Set(list.map((m) => m.percent)).size === list.length, { error: "two milestones have the same percent" }),
  })
  .strict();
export type MilestonesRequest = z.input<typeof MilestonesRequest>;

export interface MilestonesResponse {
  milestones: MilestoneView[];
}

/** The campaign's milestones by percent: its own, or the defaults when it has none. */
export function effectiveMilestones(stored: readonly StoredMilestone[]): Array<MilestoneInput & { id: string | null; reachedAt: Date | null }> {
  const list = stored.length > 0 ? stored : DEFAULT_MILESTONES.map((m) => ({ ...m, id: null, reachedAt: null }));
  return [...list].sort((a, b) => a.percent - b.percent);
}

/** Milestones not reached yet that `percent` (the campaign's progress now) has got to. */
export function newlyReached<M extends { percent: number; reachedAt: Date | null }>(milestones: readonly M[], percent: number): M[] {
  return milestones.filter((m) => m.reachedAt === null && percent >= m.percent);
}

/** The next milestone to reach (lowest percent not reached), or null. */
export function nextMilestone<M extends { percent: number; reachedAt: unknown }>(milestones: readonly M[]): M | null {
  return [...milestones].sort((a, b) => a.percent - b.percent).find((m) => m.reachedAt === null) ?? null;
}

export type MilestoneEditRefusal = { ok: false; field: string; message: string };

/**
 * A new list for a campaign whose milestones are `stored`: every reached milestone must be in it
 * unchanged (its decoration went out with that title and sprite). Answers the rows to write
 * (the unreached ones) or the first problem, under its field.
 */
export function checkMilestoneEdit(stored: readonly StoredMilestone[], wanted: readonly MilestoneInput[]): { ok: true; write: MilestoneInput[] } | MilestoneEditRefusal {
  for (const r of stored.filter((m) => m.reachedAt !== null)) {
    const i = wanted.findIndex((w) => w.percent === r.percent);
    const w = wanted[i];
    if (!w) return { ok: false, field: "milestones", message: `the milestone at ${r.percent}% was reached and cannot be removed` };
    if (w.titleFr !== r.titleFr || w.titleEn !== r.titleEn || w.sprite !== r.sprite) {
      return { ok: false, field: `milestones.${i}`, message: `the milestone at ${r.percent}% was reached and cannot change` };
    }
  }
  const reached = new Set(stored.filter((m) => m.reachedAt !== null).map((m) => m.percent));
  return { ok: true, write: wanted.filter((w) => !reached.has(w.percent)) };
}

export function milestoneView(m: MilestoneInput & { id: string | null; reachedAt: Date | null }): MilestoneView {
  return { id: m.id, percent: m.percent, title: { fr: m.titleFr, en: m.titleEn }, sprite: m.sprite, reachedAt: m.reachedAt?.toISOString() ?? null };
}
