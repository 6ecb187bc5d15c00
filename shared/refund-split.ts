/**
 * How money taken back from a basket (refunds, a dispute) splits between its
 * projects, and which gifts leave the village for it: ONE pure rule, used by
 * the ledger (each project gives back its share), the village (those gifts
 * leave, and come back when the amount shrinks) and the payment receipt
 * (refunds per line and NGO).
 *
 * - The extra support goes back first (it bought no gift), from the project
 *   it was booked to: the basket's largest line (see supportLineOf).
 * - What is left is taken from the gifts: as few, and as cheap, gifts as
 *   possible leave (shared/withdrawal.ts), and the money is taken from the
 *   projects of the gifts that leave, in proportion to their price, to the cent.
 *
 * The split depends only on the order and the total taken, never on the
 * order the events came in: a refund that grows, shrinks or fails ends in
 * the same village and the same books as if the final amount came at once.
 */
import { allocate } from "./money.ts";
import { giftsToWithdraw } from "./withdrawal.ts";

export interface SplitLine {
  lineId: string;
  ngoId: string;
  projectId: string;
  unitPriceCents: number;
  quantity: number;
}

export interface SplitOrder {
  lines: readonly SplitLine[];
  /** The optional extra support on top of the gifts (part of the order's total). */
  supportCents: number;
}

export interface ProjectShare {
  ngoId: string;
  projectId: string;
  /** Taken back from this project (positive). */
  cents: number;
}

export interface RefundSplit {
  /** The amount split (clamped to the order's total). */
  takenCents: number;
  /** Of which the extra support. */
  supportCents: number;
  /** Per line id: how many of its gifts leave the village (lines with none are absent). */
  unitsOut: Record<string, number>;
  /** Per line id: the cents taken back from that line's gifts (lines with none are absent). */
  lineCents: Record<string, number>;
  /** Per project: the cents taken back, support included (projects with none are absent), in line order. */
  byProject: ProjectShare[];
}

const lineTotal = (l: SplitLine) => l.unitPriceCents * l.quantity;

/** The line whose project receives the extra support: the largest line, the first by id on a tie. */
export function supportLineOf<T extends { lineId: string; lineTotalCents: number }>(lines: readonly T[]): T | undefined {
  return [...lines].sort((a, b) => b.lineTotalCents - a.lineTotalCents || (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0))[0];
}

export function orderTotalOf(order: SplitOrder): number {
  return order.lines.reduce((s, l) => s + lineTotal(l), 0) + order.supportCents;
}

/** The split of `takenCents` (refunded plus withdrawn by disputes) out of an order. */
export function splitTaken(order: SplitOrder, takenCents: number): RefundSplit {
  const total = orderTotalOf(order);
  const taken = Math.max(0, Math.min(Math.trunc(takenCents), total));
  const support = Math.min(taken, order.supportCents);
  const fromGifts = taken - support;
  const giftsTotal = total - order.supportCents;
  const units = order.lines.flatMap((l) =>
    Array.from({ length: l.quantity }, (_, i) => ({ itemId: `${l.lineId}#${String(i).padStart(2, "0")}`, priceCents: l.unitPriceCents, line: l })),
  );
  const out = new Set(giftsToWithdraw(units, giftsTotal - fromGifts));
  const leaving = units.filter((u) => out.has(u.itemId));
  const shares = fromGifts > 0 && leaving.length > 0 ? allocate(fromGifts, leaving.map((u) => u.priceCents)) : leaving.map(() => 0);

  const unitsOut: Record<string, number> = {};
  const lineCents: Record<string, number> = {};
  leaving.forEach((u, i) => {
    unitsOut[u.line.lineId] = (unitsOut[u.line.lineId] ?? 0) + 1;
    lineCents[u.line.lineId] = (lineCents[u.line.lineId] ?? 0) + shares[i]!;
  });
  const perProject = new Map<string, ProjectShare>();
  const add = (l: SplitLine, cents: number) => {
    if (cents === 0) return;
    const key = `${l.ngoId}:${l.projectId}`;
    const share = perProject.get(key) ?? { ngoId: l.ngoId, projectId: l.projectId, cents: 0 };
    share.cents += cents;
    perProject.set(key, share);
  };
  const supportLine = supportLineOf(order.lines.map((l) => ({ ...l, lineTotalCents: lineTotal(l) })));
  for (const l of order.lines) {
    if (supportLine && l.lineId === supportLine.lineId) add(l, support);
    add(l, lineCents[l.lineId] ?? 0);
  }
  return { takenCents: taken, supportCents: support, unitsOut, lineCents, byProject: [...perProject.values()] };
}

/**
 * What moves between two amounts taken: per project, the change of its share (positive: taken
 * back from the project; negative: given back to it). The changes sum to `to − from`.
 */
export function splitChange(order: SplitOrder, fromCents: number, toCents: number): ProjectShare[] {
  const before = new Map(splitTaken(order, fromCents).byProject.map((p) => [`${p.ngoId}:${p.projectId}`, p.cents]));
  const after = splitTaken(order, toCents).byProject;
  const keys = new Map<string, ProjectShare>();
  for (const p of after) keys.set(`${p.ngoId}:${p.projectId}`, { ...p, cents: p.cents - (before.get(`${p.ngoId}:${p.projectId}`) ?? 0) });
  for (const l of order.lines) {
    const key = `${l.ngoId}:${l.projectId}`;
    if (!keys.has(key) && before.has(key)) keys.set(key, { ngoId: l.ngoId, projectId: l.projectId, cents: -before.get(key)! });
  }
  return [...keys.values()].filter((p) => p.cents !== 0);
}
