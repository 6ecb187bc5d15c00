/**
 * "Your impact": what a player's gifts became (GET /api/me/impact, the
 * caller's own data only) and the opt-in monthly digest of impact news.
 * Pure rules with time passed in: a project's fund-trail stage from its
 * units, which month a digest tells and when it is due.
 */
import type { Translated } from "./api.ts";
import { parisDate } from "./fund-trail.ts";

export const IMPACT_STAGES = ["funded", "sent_to_field", "in_use"] as const;
export type ImpactStage = (typeof IMPACT_STAGES)[number];

/** How many of a project's donated units reached each stage (each unit counted once, at its furthest stage). */
export interface StageCounts {
  funded: number;
  sentToField: number;
  inUse: number;
}

export interface ImpactProject {
  projectId: string;
  name: Translated;
  ngo: { id: string; name: string };
  /** The sprite of the project's gift the player gave most of. */
  sprite: string;
  /** Units given (still counting: refunded ones are not). */
  units: number;
  stages: StageCounts;
  /** The furthest stage any unit reached. */
  stage: ImpactStage;
  /** 0–100: how far along the trail the units are, all together. */
  progress: number;
}

export interface ImpactPhoto {
  updateId: string;
  url: string;
  width: number;
  height: number;
  /** The update's title, for the alt text. */
  alt: Translated;
  project: Translated;
  ngoName: string;
  /** ISO date-time. */
  createdAt: string;
}

export interface MyImpactResponse {
  counters: { gifts: number; projects: number; ngos: number; inUse: number };
  projects: ImpactProject[];
  /** The newest photos the NGOs posted about the player's projects. */
  photos: ImpactPhoto[];
  /** Whether the monthly digest is on (a privacy setting, off by default). */
  digest: boolean;
}

/** The furthest stage reached and the progress (0–100) of a project's units. */
export function projectStage(c: StageCounts): { stage: ImpactStage; progress: number } {
  const total = c.funded + c.sentToField + c.inUse;
  const stage: ImpactStage = c.inUse > 0 ? "in_use" : c.sentToField > 0 ? "sent_to_field" : "funded";
  const progress = total === 0 ? 0 : Math.round(((c.sentToField + 2 * c.inUse) / (2 * total)) * 100);
  return { stage, progress };
}

/** A calendar month, "YYYY-MM". */
export type CalendarMonth = string;

/** The month a digest sent now tells: the last whole month in Paris. */
export function digestMonth(now: number): CalendarMonth {
  const [y, m] = parisDate(now).split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The instant a Paris calendar day starts (00:00 Europe/Paris), epoch ms. */
export function parisMidnight(date: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (const hours of [1, 2, 0, 3]) {
    const t = utcMidnight - hours * 3_600_000;
    if (parisDate(t) === date && parisDate(t - 1) !== date) return t;
  }
  return utcMidnight;
}

/** The instants [from, to) of a Paris calendar month. */
export function monthRange(month: CalendarMonth): { from: number; to: number } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { from: parisMidnight(`${month}-01`), to: parisMidnight(`${next}-01`) };
}

/**
 * Whether a player's digest of `month` is to be sent: they have it on now, have an account (an
 * address), and none was sent or skipped for that month yet.
 */
export function digestDue(p: { optedIn: boolean; hasAccount: boolean; alreadyDone: boolean }): boolean {
  return p.optedIn && p.hasAccount && !p.alreadyDone;
}
