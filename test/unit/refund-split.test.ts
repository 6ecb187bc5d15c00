import { describe, expect, it } from "vitest";
import { splitChange, splitTaken, supportLineOf, type SplitOrder } from "../../shared/refund-split.ts";
import { newerSnapshot, refundedAmount } from "../../shared/refund-target.ts";

const basket: SplitOrder = {
  lines: [
    { lineId: "a", ngoId: "n1", projectId: "goats", unitPriceCents: 3500, quantity: 1 },
    { lineId: "b", ngoId: "n2", projectId: "seeds", unitPriceCents: 100, quantity: 3 },
    { lineId: "c", ngoId: "n3", projectId: "wells", unitPriceCents: 15000, quantity: 1 },
  ],
  supportCents: 500,
};
const sum = (xs: Array<{ cents: number }>) => xs.reduce((s, x) => s + x.cents, 0);

describe("the refund split", () => {
  it("takes the extra support back first, from the project it was booked to (the largest line)", () => {
    expect(supportLineOf([{ lineId: "b", lineTotalCents: 300 }, { lineId: "c", lineTotalCents: 300 }, { lineId: "a", lineTotalCents: 300 }])?.lineId).toBe("a");
    expect(splitTaken(basket, 400)).toEqual({ takenCents: 400, supportCents: 400, unitsOut: {}, lineCents: {}, byProject: [{ ngoId: "n3", projectId: "wells", cents: 400 }] });
  });

  it("then takes as few and as cheap gifts as possible, and the money from their projects only", () => {
    const seeds = splitTaken(basket, 500 + 100);
    expect(seeds.unitsOut).toEqual({ b: 1 });
    expect(seeds.byProject).toEqual([{ ngoId: "n2", projectId: "seeds", cents: 100 }, { ngoId: "n3", projectId: "wells", cents: 500 }]);
    // One gift rather than two: the cheapest single gift that covers 2 €.
    const split = splitTaken(basket, 500 + 200);
    expect(split.unitsOut).toEqual({ a: 1 });
    expect(split.byProject).toEqual([{ ngoId: "n1", projectId: "goats", cents: 200 }, { ngoId: "n3", projectId: "wells", cents: 500 }]);
    const goat = splitTaken(basket, 500 + 1000);
    expect(goat.unitsOut).toEqual({ a: 1 });
    expect(goat.lineCents).toEqual({ a: 1000 });
    expect(sum(goat.byProject)).toBe(1500);
  });

  it("splits a refund that is not a sum of gift prices to the cent, over the gifts that leave", () => {
    const split = splitTaken(basket, 500 + 3550 + 15000);
    expect(split.unitsOut).toEqual({ a: 1, b: 1, c: 1 });
    expect(split.lineCents).toEqual({ a: 3490, b: 100, c: 14960 }); // 185.50 € over 35 + 1 + 150 €, by largest remainder
    expect(sum(split.byProject)).toBe(19050);
  });

  it("takes everything on a full refund, and clamps what is out of range", () => {
    const total = 3500 + 300 + 15000 + 500;
    expect(splitTaken(basket, total).unitsOut).toEqual({ a: 1, b: 3, c: 1 });
    expect(splitTaken(basket, total + 999).takenCents).toBe(total);
    expect(splitTaken(basket, -5)).toMatchObject({ takenCents: 0, unitsOut: {}, byProject: [] });
  });

  it("moves between two amounts by the change of each project's share, both ways", () => {
    const up = splitChange(basket, 0, 1500);
    expect(sum(up)).toBe(1500);
    const down = splitChange(basket, 1500, 700);
    expect(sum(down)).toBe(-800);
    // Up then down lands where going straight would.
    const straight = splitTaken(basket, 700).byProject;
    const perProject = new Map<string, number>();
    for (const p of [...up, ...down]) perProject.set(p.projectId, (perProject.get(p.projectId) ?? 0) + p.cents);
    expect(Object.fromEntries([...perProject].filter(([, c]) => c !== 0))).toEqual(Object.fromEntries(straight.map((p) => [p.projectId, p.cents])));
  });
});

describe("the amount refunded, from the facts in any order", () => {
  it("keeps the newest charge snapshot, the larger within one second", () => {
    expect(newerSnapshot({ amountRefundedCents: 900, at: 10 }, { amountRefundedCents: 100, at: 20 })).toEqual({ amountRefundedCents: 100, at: 20 });
    expect(newerSnapshot({ amountRefundedCents: 900, at: 20 }, { amountRefundedCents: 100, at: 10 })).toEqual({ amountRefundedCents: 900, at: 20 });
    expect(newerSnapshot({ amountRefundedCents: 100, at: 20 }, { amountRefundedCents: 900, at: 20 })).toEqual({ amountRefundedCents: 900, at: 20 });
  });

  it("takes off a failed refund the snapshot still counted, not one it already left out", () => {
    const failed = [{ refundId: "re_1", amountCents: 500, createdAt: 100, failedAt: 200 }];
    expect(refundedAmount({ amountRefundedCents: 800, at: 150 }, failed)).toBe(300);
    expect(refundedAmount({ amountRefundedCents: 300, at: 250 }, failed)).toBe(300);
    expect(refundedAmount({ amountRefundedCents: 300, at: 50 }, failed)).toBe(300);
    expect(refundedAmount(null, failed)).toBe(0);
    expect(refundedAmount({ amountRefundedCents: 800, at: 150 }, [...failed, ...failed])).toBe(300);
  });
});
