/** The milestone rules (shared/milestones.ts) and the givers' leaderboard (shared/campaign-leaderboard.ts). */
import { describe, expect, it } from "vitest";
import { giverLeaderboard } from "../../shared/campaign-leaderboard.ts";
import type { CountedLine, ProgressLine } from "../../shared/campaign-progress.ts";
import {
  DEFAULT_MILESTONES, MILESTONE_SPRITES, MilestonesRequest, type StoredMilestone, checkMilestoneEdit, effectiveMilestones, milestoneView, newlyReached, nextMilestone,
} from "../../shared/milestones.ts";
import { ART_SPRITES } from "../../shared/sprites.ts";

const stored = (percent: number, reached = false, over: Partial<StoredMilestone> = {}): StoredMilestone => ({
  id: `m${percent}`, percent, titleFr: `À ${percent}`, titleEn: `At ${percent}`, sprite: "bench", reachedAt: reached ? new Date(0) : null, ...over,
});

describe("milestones", () => {
  it("defaults to 25, 50 and 100 % when the campaign has none, and sorts its own", () => {
    expect(DEFAULT_MILESTONES.map((m) => m.percent)).toEqual([25, 50, 100]);
    expect(effectiveMilestones([]).map((m) => [m.id, m.percent])).toEqual([[null, 25], [null, 50], [null, 100]]);
    expect(effectiveMilestones([stored(80), stored(10)]).map((m) => m.percent)).toEqual([10, 80]);
    for (const m of DEFAULT_MILESTONES) expect(MILESTONE_SPRITES).toContain(m.sprite);
    for (const s of MILESTONE_SPRITES) expect(ART_SPRITES).toContain(s);
  });

  it("reaches each milestone the progress got to, once", () => {
    const list = [stored(25), stored(50), stored(100)];
    expect(newlyReached(list, 24)).toEqual([]);
    expect(newlyReached(list, 25).map((m) => m.percent)).toEqual([25]);
    expect(newlyReached(list, 130).map((m) => m.percent)).toEqual([25, 50, 100]);
    // Already reached: never again, even when a refund took the progress down and back up.
    expect(newlyReached([stored(25, true), stored(50)], 60).map((m) => m.percent)).toEqual([50]);
    expect(newlyReached([stored(25, true)], 10)).toEqual([]);
  });

  it("names the next milestone", () => {
    expect(nextMilestone([stored(50), stored(25, true), stored(100)])?.percent).toBe(50);
    expect(nextMilestone([stored(25, true)])).toBeNull();
    expect(nextMilestone([])).toBeNull();
  });

  it("keeps a reached milestone as it is in an edit", () => {
    const list = [stored(25, true), stored(50)];
    const keep = { percent: 25, titleFr: "À 25", titleEn: "At 25", sprite: "bench" as const };
    expect(checkMilestoneEdit(list, [keep, { percent: 60, titleFr: "a", titleEn: "b", sprite: "fountain" }]))
      .toEqual({ ok: true, write: [{ percent: 60, titleFr: "a", titleEn: "b", sprite: "fountain" }] });
    expect(checkMilestoneEdit(list, [])).toMatchObject({ ok: false, field: "milestones" });
    expect(checkMilestoneEdit(list, [{ ...keep, titleEn: "Changed" }])).toMatchObject({ ok: false, field: "milestones.0" });
    expect(checkMilestoneEdit(list, [{ percent: 70, titleFr: "a", titleEn: "b", sprite: "well" }, { ...keep, sprite: "well" }])).toMatchObject({ ok: false, field: "milestones.1" });
    expect(checkMilestoneEdit([stored(50)], [])).toEqual({ ok: true, write: [] });
  });

  it("validates the console's list, with a message per field", () => {
    const good = { percent: 30, titleFr: "Un tiers", titleEn: "A third", sprite: "bench" };
    expect(MilestonesRequest.safeParse({ milestones: [good] }).success).toBe(true);
    expect(MilestonesRequest.safeParse({ milestones: [] }).success).toBe(true);
    const issues = (body: unknown) => MilestonesRequest.safeParse(body).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ milestones: [{ ...good, percent: 0 }] })).toEqual([["milestones.0.percent", "percent must be at least 1"]]);
    expect(issues({ milestones: [{ ...good, percent: 2.5 }] })).toEqual([["milestones.0.percent", "percent must be a whole number"]]);
    expect(issues({ milestones: [{ ...good, sprite: "goat" }] })).toEqual([["milestones.0.sprite", "sprite must be one of the milestone decorations"]]);
    expect(issues({ milestones: [{ ...good, titleEn: " " }] })).toEqual([["milestones.0.titleEn", "the English title is missing"]]);
    expect(issues({ milestones: [good, good] })).toEqual([["milestones", "two milestones have the same percent"]]);
    expect(issues({ milestones: Array.from({ length: 11 }, (_, i) => ({ ...good, percent: i + 1 })) })).toEqual([["milestones", "a campaign has at most 10 milestones"]]);
    expect(issues({ milestones: [{ ...good, extra: 1 }] })?.[0]?.[0]).toBe("milestones.0");
  });

  it("shows a milestone with its reached time", () => {
    expect(milestoneView(stored(25, true))).toEqual({ id: "m25", percent: 25, title: { fr: "À 25", en: "At 25" }, sprite: "bench", reachedAt: "1970-01-01T00:00:00.000Z" });
  });
});

describe("giverLeaderboard", () => {
  let n = 0;
  const line = (donor: string, units: number, cents: number, opts: { named?: boolean; amount?: boolean; to?: string } = {}): CountedLine => ({
    units, cents,
    line: {
      lineId: `l${n++}`, orderId: `o${n}`, giftId: "g", quantity: units, lineTotalCents: cents, orderTotalCents: cents, supportCents: 0, refundedCents: 0,
      disputeStatus: null, paidAt: 0, withdrawnUnits: 0, donorId: donor,
      village: { id: `v-${donor}`, name: `Village ${donor}`, named: opts.named ?? true, showAmount: opts.amount ?? false },
      ...(opts.to ? { toVillageId: opts.to } : {}),
    } satisfies ProgressLine,
  });

  it("ranks by gifts (then villages helped) or by villages helped (then gifts), never by amount", () => {
    const counted = [
      line("a", 3, 300), line("b", 1, 9000), line("b", 1, 9000, { to: "v-x" }), line("c", 2, 50, { to: "v-y" }), line("c", 0, 0),
    ];
    expect(giverLeaderboard(counted, "gifts")).toEqual({
      by: "gifts",
      entries: [
        { rank: 1, name: "Village a", gifts: 3, villages: 1 },
        { rank: 2, name: "Village b", gifts: 2, villages: 2 },
        { rank: 3, name: "Village c", gifts: 2, villages: 1 },
      ],
      others: { givers: 0, gifts: 0 },
    });
    expect(giverLeaderboard(counted, "villages").entries.map((e) => e.name)).toEqual(["Village b", "Village a", "Village c"]);
  });

  it("names only those who opted in, with an amount only when they chose to show it", () => {
    const counted = [line("a", 3, 300, { named: false, amount: true }), line("b", 2, 9000, { amount: true }), line("c", 1, 50)];
    expect(giverLeaderboard(counted, "gifts")).toEqual({
      by: "gifts",
      entries: [{ rank: 2, name: "Village b", gifts: 2, villages: 1, amountCents: 9000 }, { rank: 3, name: "Village c", gifts: 1, villages: 1 }],
      others: { givers: 1, gifts: 3 },
    });
    expect(giverLeaderboard(counted, "gifts", 1)).toMatchObject({ entries: [{ name: "Village b" }], others: { givers: 2, gifts: 4 } });
    expect(giverLeaderboard([], "villages")).toEqual({ by: "villages", entries: [], others: { givers: 0, gifts: 0 } });
  });
});
