/**
 * The donations report as a pure rule: ledger movements on an NGO's project
 * accounts, grouped by project, gift or day. The ledger books money per
 * project; the gift split shares each movement of a project among the order's
 * lines of that project and its extra support, by amount, to the cent
 * (largest remainder, as the ledger shares a refund among projects), so every
 * grouping adds up to the same totals, and net is always minus the sum of the
 * entries (what `npm run ledger:check` holds balanced).
 */
import { allocate } from "./money.ts";
import { dayIn, type DonationFigures, type ReportGrouping, REPORT_TIME_ZONE } from "./reports.ts";

export type MovementKind = "donation" | "refund" | "dispute" | "dispute_reversal";

/** One ledger entry on one of the NGO's project accounts (credits negative, as in the ledger). */
export interface ProjectMovement {
  orderId: string;
  kind: MovementKind;
  projectId: string;
  currency: string;
  amountCents: number;
  bookedAt: Date;
}

/** An order line of the NGO (its gift, project, units and amount). */
export interface ReportOrderLine {
  orderId: string;
  projectId: string;
  giftId: string;
  quantity: number;
  lineTotalCents: number;
}

/** What an order's donation credited one of the NGO's projects (positive), gifts and support together. */
export interface DonationCredit {
  orderId: string;
  projectId: string;
  cents: number;
}

/** A row's key: the day, or the project, or the project and the gift (null: the extra support). */
export interface RowKey {
  currency: string;
  day?: string;
  projectId?: string;
  giftId?: string | null;
}

export type AggregatedRow = RowKey & DonationFigures;

export interface AggregatedReport {
  rows: AggregatedRow[];
  totals: DonationFigures[];
}

interface Accumulator {
  key: RowKey;
  grossCents: number;
  refundedCents: number;
  disputedCents: number;
  units: number;
  orders: Set<string>;
}

/** One share of a movement: the part of it a row gets, and the units that part stands for. */
interface Part {
  giftId: string | null;
  weight: number;
  units: number;
}

export function aggregateDonations(
  input: { movements: readonly ProjectMovement[]; lines: readonly ReportOrderLine[]; credits?: readonly DonationCredit[] },
  by: ReportGrouping,
  timeZone = REPORT_TIME_ZONE,
): AggregatedReport {
  const linesOf = new Map<string, ReportOrderLine[]>();
  for (const l of input.lines) push(linesOf, `${l.orderId}|${l.projectId}`, l);
  const creditOf = new Map<string, number>();
  for (const c of input.credits ?? []) creditOf.set(`${c.orderId}|${c.projectId}`, (creditOf.get(`${c.orderId}|${c.projectId}`) ?? 0) + c.cents);

  const rows = new Map<string, Accumulator>();
  const totals = new Map<string, Accumulator>();
  const add = (map: Map<string, Accumulator>, key: RowKey, m: ProjectMovement, cents: number, units: number) => {
    const id = JSON.stringify([key.currency, key.day ?? null, key.projectId ?? null, key.giftId === undefined ? "-" : key.giftId]);
    let acc = map.get(id);
    if (!acc) map.set(id, (acc = { key, grossCents: 0, refundedCents: 0, disputedCents: 0, units: 0, orders: new Set() }));
    book(acc, m.kind, cents);
    if (m.kind === "donation") {
      acc.units += units;
      acc.orders.add(m.orderId);
    }
  };

  for (const m of input.movements) {
    const lines = linesOf.get(`${m.orderId}|${m.projectId}`) ?? [];
    const units = lines.reduce((s, l) => s + l.quantity, 0);
    add(totals, { currency: m.currency }, m, m.amountCents, units);
    if (by === "day") add(rows, { currency: m.currency, day: dayIn(m.bookedAt, timeZone) }, m, m.amountCents, units);
    else if (by === "project") add(rows, { currency: m.currency, projectId: m.projectId }, m, m.amountCents, units);
    else {
      const parts = partsOf(lines, creditOf.get(`${m.orderId}|${m.projectId}`));
      const shares = allocate(m.amountCents, parts.map((p) => p.weight));
      parts.forEach((p, i) => {
        // A refund too small to reach every line leaves the others out (no row of zeros).
        if (shares[i] !== 0 || m.kind === "donation") add(rows, { currency: m.currency, projectId: m.projectId, giftId: p.giftId }, m, shares[i]!, p.units);
      });
    }
  }
  return { rows: [...rows.values()].map(figures), totals: [...totals.values()].map(figures) };
}

/** The lines of an order's project, and its extra support: what the project's donation credit was made of. */
function partsOf(lines: readonly ReportOrderLine[], credit: number | undefined): Part[] {
  const parts: Part[] = lines.map((l) => ({ giftId: l.giftId, weight: l.lineTotalCents, units: l.quantity }));
  const support = (credit ?? 0) - lines.reduce((s, l) => s + l.lineTotalCents, 0);
  if (support > 0 || parts.length === 0) parts.push({ giftId: null, weight: Math.max(support, 1), units: 0 });
  return parts;
}

/** Adds an entry (credits negative) to the figures it belongs to. */
function book(acc: Accumulator, kind: MovementKind, cents: number): void {
  if (kind === "donation") acc.grossCents -= cents;
  else if (kind === "refund") acc.refundedCents += cents;
  else acc.disputedCents += cents; // a dispute debits the project, a won dispute's reversal credits it back
}

function figures(acc: Accumulator): AggregatedRow {
  return {
    ...acc.key,
    grossCents: acc.grossCents,
    refundedCents: acc.refundedCents,
    disputedCents: acc.disputedCents,
    netCents: acc.grossCents - acc.refundedCents - acc.disputedCents,
    units: acc.units,
    orders: acc.orders.size,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
