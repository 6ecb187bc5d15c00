/**
 * The titles of campaign milestones this client has seen (in the campaigns
 * panel, or in a milestone_reached notification), so a milestone's
 * decoration in a village (decorationId "milestone:<id>") can be named.
 */
import type { Translated } from "../../shared/api.ts";

const titles = new Map<string, Translated>();

export const MILESTONE_DECORATION_PREFIX = "milestone:";

export function rememberMilestones(list: ReadonlyArray<{ id: string | null; title: Translated }>): void {
  for (const m of list) if (m.id) titles.set(m.id, m.title);
}

/** The title of the milestone a decoration id names, if known. */
export function milestoneTitleOf(decorationId: string): Translated | undefined {
  return decorationId.startsWith(MILESTONE_DECORATION_PREFIX) ? titles.get(decorationId.slice(MILESTONE_DECORATION_PREFIX.length)) : undefined;
}
