/**
 * The NGO console's reports: who may read them (viewer and up; anyone else
 * 404), bad queries refused field by field, the donations figures after paid
 * orders, a partial refund and a lost dispute delivered through the signed
 * webhook, the CSV bytes, and the yearly tax-receipt declaration after
 * receipts issued through the donors' API. The books stay sound throughout.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, gte, like, lt, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { DonationReportResponse, TaxReceiptDeclaration } from "../../shared/reports.ts";
import { addDays, dayIn, periodBounds } from "../../shared/reports.ts";
import { ledgerEntries, ledgerTransactions, orders, taxReceipts } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { addNgoMember, demoNgoId, insertNgoWithGift } from "../support/ngo.ts";
import { chargeObject, disputeObject, send, stripeEvent, type PaidSession } from "../support/stripe-events.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
let demo: string;
let other: Awaited<ReturnType<typeof insertNgoWithGift>>;
let viewer: SessionResponse;
let otherAdmin: SessionResponse;
let outsider: SessionResponse;
let donor: SessionResponse;
const today = dayIn(new Date());
const from = addDays(today, -1);
const to = addDays(today, 1);
const period = `from=${from}&to=${to}`;

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  demo = await demoNgoId(server);
  other = await insertNgoWithGift(server, {
    name: "Puits Partagés", projectName: '=HYPERLINK("http://evil.example";"clic")', giftName: '+Kit "école"; cahiers', priceCents: 2000,
  });
  [viewer, otherAdmin, outsider] = [await signUpAccount(server, "Viewer"), await signUpAccount(server, "Admin"), await signUpAccount(server, "Outsider")];
  await addNgoMember(server, demo, viewer.player.id, "viewer");
  await addNgoMember(server, other.ngoId, otherAdmin.player.id, "admin");
  donor = await server.guest();
});
afterAll(() => server?.stop());
afterEach(async () => {
  expect(await checkLedger(server.hameau.database.db)).toEqual([]);
});

const giftId = (slug: string) => catalog.gifts.find((g) => g.slug === slug)!.id;
const get = <T>(path: string, token?: string) => server.api<T>(path, token ? { token } : {});
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** Checks out and clicks Pay on the TEST MODE page: the server signs the event and delivers it to its own webhook. */
async function paidOrder(who: SessionResponse, lines: Array<[string, number]>, supportCents = 0): Promise<PaidSession> {
  const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: who.token, body: { lines: lines.map(([id, quantity]) => ({ giftId: id, quantity })), supportCents } });
  expect(checkout.status).toBe(201);
  const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(pay.status).toBe(303);
  const [row] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, checkout.body.orderId));
  expect(row!.status).toBe("paid");
  return { orderId: row!.id, sessionId: row!.checkoutSessionId!, totalCents: row!.totalCents, paymentIntentId: row!.paymentIntentId! };
}

async function csv(path: string, token: string) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("who may read an NGO's reports", () => {
  const routes = (ngoId: string) => [
    `/api/ngos/${ngoId}/reports/donations?${period}`, `/api/ngos/${ngoId}/reports/donations.csv?${period}`,
    `/api/ngos/${ngoId}/reports/tax-receipts?year=2025`, `/api/ngos/${ngoId}/reports/tax-receipts.csv?year=2025`,
  ];

  it("lets a viewer (and any higher role) read every report of their NGO", async () => {
    for (const path of routes(demo)) expect((await get(path, viewer.token)).status, path).toBe(200);
    for (const path of routes(other.ngoId)) expect((await get(path, otherAdmin.token)).status, path).toBe(200);
  });

  it("answers 404 to anyone else, 401 without a session", async () => {
    const guest = await server.guest();
    for (const path of routes(demo)) {
      for (const who of [otherAdmin, outsider, guest]) {
        const res = await get<ErrorBody>(path, who.token);
        expect([path, res.status, res.body.error.code]).toEqual([path, 404, "not_found"]);
      }
      expect((await get(path)).status).toBe(401);
    }
    for (const path of routes(other.ngoId)) expect((await get(path, viewer.token)).status).toBe(404);
    expect((await get(`/api/ngos/${randomUUID()}/reports/donations?${period}`, viewer.token)).status).toBe(404);
  });
});

describe("bad queries", () => {
  const refused = async (path: string) => {
    const res = await get<ErrorBody>(path, viewer.token);
    expect(res.status, path).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    return res.body.error.fields;
  };

  it("are refused with a message per field, for the JSON and the CSV alike", async () => {
    for (const suffix of ["", ".csv"]) {
      const base = `/api/ngos/${demo}/reports/donations${suffix}`;
      expect(await refused(base)).toEqual({ from: "from is required, as YYYY-MM-DD", to: "to is required, as YYYY-MM-DD" });
      expect(await refused(`${base}?from=2026-02-30&to=tomorrow&by=week&format=xlsx&lang=de`)).toEqual({
        from: "from must be a calendar day written YYYY-MM-DD", to: "to must be a calendar day written YYYY-MM-DD",
        by: "by must be project, gift or day", format: "format must be excel-fr or rfc4180", lang: "lang must be fr or en",
      });
      expect(await refused(`${base}?from=2026-03-01&to=2026-02-28`)).toEqual({ to: "to must be the same day as from or later" });
      expect(await refused(`${base}?from=2024-01-01&to=2026-01-01`)).toEqual({ to: "a report covers at most 731 days (two years)" });
      expect(await refused(`${base}?from=2026-01-01&from=2026-01-02&to=2026-01-03`)).toEqual({ from: "from is required, as YYYY-MM-DD" });
    }
    for (const suffix of ["", ".csv"]) {
      expect(await refused(`/api/ngos/${demo}/reports/tax-receipts${suffix}`)).toEqual({ year: "year is required" });
      expect(await refused(`/api/ngos/${demo}/reports/tax-receipts${suffix}?year=25`)).toEqual({ year: "year must be a year such as 2025" });
    }
  });
});

describe("donations", () => {
  let orderIds: string[] = [];

  it("reads paid orders, a partial refund and a lost dispute from the ledger, by project, gift and day", async () => {
    // A goat (35 €) with 2 € support, and the other NGO's kit (20 €) in the same basket.
    const mixed = await paidOrder(donor, [[giftId("chevre"), 1], [other.giftId, 1]], 200);
    // Two sets of hens (30 €) and three bags of seeds (3 €); 10 € of it refunded.
    const refunded = await paidOrder(donor, [[giftId("poules"), 2], [giftId("sachet-de-graines"), 3]]);
    // A cow (250 €), disputed and lost.
    const disputed = await paidOrder(donor, [[giftId("vache"), 1]]);
    orderIds = [mixed.orderId, refunded.orderId, disputed.orderId];
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(refunded, 1000)))).body.outcome).toBe("refunded");
    const dispute = `dp_${randomBytes(6).toString("hex")}`;
    expect((await send(server.url, stripeEvent("charge.dispute.created", disputeObject(disputed, dispute, "needs_response")))).body.outcome).toBe("dispute_opened");
    expect((await send(server.url, stripeEvent("charge.dispute.closed", disputeObject(disputed, dispute, "lost")))).body.outcome).toBe("dispute_lost");

    const total = { currency: "EUR", grossCents: 32000, refundedCents: 1000, disputedCents: 25000, netCents: 6000, units: 7, orders: 3 };
    const byProject = await get<DonationReportResponse>(`/api/ngos/${demo}/reports/donations?${period}&by=project`, viewer.token);
    expect(byProject.status).toBe(200);
    expect(byProject.body).toMatchObject({ ngoId: demo, from, to, by: "project", timeZone: "Europe/Paris", totals: [total] });
    // The 10 € refund is taken where the village takes it back (shared/refund-split.ts): one set of hens leaves,
    // so the hens' project gives the 10 € back and the seeds' project keeps all it was given.
    expect(byProject.body.rows.map((r) => [r.project!.name.en, r.grossCents, r.refundedCents, r.disputedCents, r.netCents, r.units, r.orders])).toEqual([
      ["Family livestock in Burkina Faso", 31700, 1000, 25000, 5700, 4, 3],
      ["School gardens in Senegal", 300, 0, 0, 300, 3, 1],
    ]);

    const byGift = await get<DonationReportResponse>(`/api/ngos/${demo}/reports/donations?${period}&by=gift`, viewer.token);
    expect(byGift.body.totals).toEqual([total]);
    expect(byGift.body.rows.map((r) => [r.project!.name.fr, r.gift?.name.fr ?? null, r.grossCents, r.refundedCents, r.disputedCents, r.netCents, r.units, r.orders])).toEqual([
      ["Élevage familial au Burkina Faso", "Trois poules", 3000, 1000, 0, 2000, 2, 1],
      ["Élevage familial au Burkina Faso", "Une chèvre", 3500, 0, 0, 3500, 1, 1],
      ["Élevage familial au Burkina Faso", "Une vache", 25000, 0, 25000, 0, 1, 1],
      ["Élevage familial au Burkina Faso", null, 200, 0, 0, 200, 0, 1],
      ["Jardins scolaires au Sénégal", "Sachet de graines", 300, 0, 0, 300, 3, 1],
    ]);

    const byDay = await get<DonationReportResponse>(`/api/ngos/${demo}/reports/donations?${period}&by=day`, viewer.token);
    expect(byDay.body.totals).toEqual([total]);
    const booked = await server.hameau.database.db.selectDistinct({ at: ledgerTransactions.createdAt }).from(ledgerTransactions)
      .where(sql`${ledgerTransactions.orderId} in (${sql.join(orderIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
    expect(byDay.body.rows.map((r) => r.day)).toEqual([...new Set(booked.map((b) => dayIn(b.at)))].sort());
    for (const key of ["grossCents", "refundedCents", "disputedCents", "netCents", "units"] as const) {
      expect(byDay.body.rows.reduce((s, r) => s + r[key], 0)).toBe(total[key]);
    }
  });

  it("agrees with the ledger, and never includes another NGO's share", async () => {
    const { start, end } = periodBounds(from, to);
    const [sum] = await server.hameau.database.db.select({ cents: sql<string>`sum(${ledgerEntries.amountCents})` }).from(ledgerEntries)
      .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
      .where(and(like(ledgerEntries.account, `liability:ngo:${demo}:%`), gte(ledgerTransactions.createdAt, start), lt(ledgerTransactions.createdAt, end)));
    const mine = await get<DonationReportResponse>(`/api/ngos/${demo}/reports/donations?${period}`, viewer.token);
    expect(mine.body.totals[0]!.netCents).toBe(-Number(sum!.cents));
    expect(mine.body.rows.some((r) => r.project!.id === other.projectId)).toBe(false);

    const theirs = await get<DonationReportResponse>(`/api/ngos/${other.ngoId}/reports/donations?${period}&by=gift`, otherAdmin.token);
    expect(theirs.body.rows).toEqual([{
      project: { id: other.projectId, name: { fr: '=HYPERLINK("http://evil.example";"clic")', en: '=HYPERLINK("http://evil.example";"clic")' } },
      gift: { id: other.giftId, name: { fr: '+Kit "école"; cahiers', en: '+Kit "école"; cahiers' } },
      currency: "EUR", grossCents: 2000, refundedCents: 0, disputedCents: 0, netCents: 2000, units: 1, orders: 1,
    }]);

    const before = await get<DonationReportResponse>(`/api/ngos/${demo}/reports/donations?from=${addDays(from, -30)}&to=${addDays(from, -1)}`, viewer.token);
    expect(before.body).toMatchObject({ rows: [], totals: [] });
  });

  it("exports the CSV for French spreadsheets byte for byte, formulas defused", async () => {
    const file = await csv(`/api/ngos/${other.ngoId}/reports/donations.csv?${period}&by=gift`, otherAdmin.token);
    expect(file.status).toBe(200);
    expect(file.type).toBe("text/csv; charset=utf-8; header=present");
    expect(file.disposition).toBe(`attachment; filename="hameau-dons-${other.slug}-${from}-au-${to}-par-cadeau.csv"`);
    expect(file.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(file.bytes.toString("utf8")).toBe(
      "\uFEFFProjet;Cadeau;Devise;Dons reçus (brut);Remboursements;Litiges (retenus);Net;Cadeaux (unités);Commandes\r\n"
      + `"'=HYPERLINK(""http://evil.example"";""clic"")";"'+Kit ""école""; cahiers";EUR;20,00;0,00;0,00;20,00;1;1\r\n`
      + "Total;;EUR;20,00;0,00;0,00;20,00;1;1\r\n",
    );
  });

  it("exports RFC 4180 CSV in English on request", async () => {
    const file = await csv(`/api/ngos/${demo}/reports/donations.csv?${period}&format=rfc4180&lang=en`, viewer.token);
    expect(file.disposition).toBe(`attachment; filename="hameau-donations-semences-solidaires-${from}-to-${to}-by-project.csv"`);
    expect(file.bytes.toString("utf8")).toBe(
      "Project,Currency,Gross received,Refunded,Disputed (withheld),Net,Gift units,Orders\r\n"
      + "Family livestock in Burkina Faso,EUR,317.00,10.00,250.00,57.00,4,3\r\n"
      + "School gardens in Senegal,EUR,3.00,0.00,0.00,3.00,3,1\r\n"
      + "Total,EUR,320.00,10.00,250.00,60.00,7,3\r\n",
    );
  });
});

describe("the yearly declaration of tax receipts", () => {
  const lastYear = parisYear(new Date()) - 1;
  const alice = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };
  const bob = { firstName: "Jean; Paul", lastName: "=Martin", addressLines: ["1 rue Haute"], postalCode: "69001", city: "Lyon", country: "France" };

  it("counts the receipts issued for a year's donations, their total, donors and numbers, and lists them", async () => {
    const empty = await get<TaxReceiptDeclaration>(`/api/ngos/${demo}/reports/tax-receipts?year=${lastYear}`, viewer.token);
    expect(empty.body).toEqual({ ngoId: demo, year: lastYear, currency: "EUR", receipts: 0, cancelled: 0, totalCents: 0, donors: 0, numbers: null });

    const db = server.hameau.database.db;
    const issued: string[] = [];
    for (const [identity, lines] of [[alice, [["chevre", 1], ["poules", 1]]], [bob, [["ruche", 1]]]] as const) {
      const who = await server.guest();
      expect((await server.api("/api/me/donor", { method: "PUT", token: who.token, body: identity })).status).toBe(200);
      const paid = await paidOrder(who, lines.map(([slug, n]) => [giftId(slug), n]));
      // Paid last year, as the receipts tests do (the ledger keeps its own booking date).
      await db.update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, paid.orderId));
      const receipt = await server.api<{ number: string; totalCents: number }>("/api/tax-receipts", { token: who.token, body: { ngoId: demo, year: lastYear } });
      expect(receipt.status).toBe(201);
      issued.push(receipt.body.number);
    }
    // Another NGO's receipts and another year's never count.
    const declaration = await get<TaxReceiptDeclaration>(`/api/ngos/${demo}/reports/tax-receipts?year=${lastYear}`, viewer.token);
    expect(declaration.body).toEqual({
      ngoId: demo, year: lastYear, currency: "EUR", receipts: 2, cancelled: 0, totalCents: 5000 + 4000, donors: 2,
      numbers: { first: `SEMSOL-${lastYear}-000001`, last: `SEMSOL-${lastYear}-000002`, missingSequenceNumbers: [] },
    });
    expect(issued).toEqual([`SEMSOL-${lastYear}-000001`, `SEMSOL-${lastYear}-000002`]);
    expect((await get<TaxReceiptDeclaration>(`/api/ngos/${demo}/reports/tax-receipts?year=${lastYear - 1}`, viewer.token)).body.receipts).toBe(0);
    expect((await get<TaxReceiptDeclaration>(`/api/ngos/${other.ngoId}/reports/tax-receipts?year=${lastYear}`, otherAdmin.token)).body.receipts).toBe(0);

    const rows = await db.select().from(taxReceipts).where(eq(taxReceipts.ngoId, demo)).orderBy(taxReceipts.number);
    const file = await csv(`/api/ngos/${demo}/reports/tax-receipts.csv?year=${lastYear}`, viewer.token);
    expect(file.disposition).toBe(`attachment; filename="hameau-recus-fiscaux-semences-solidaires-${lastYear}.csv"`);
    expect(file.bytes.toString("utf8")).toBe(
      "\uFEFFNuméro;Date d'émission;Montant (EUR);Nom;Prénom;Statut\r\n"
      + `SEMSOL-${lastYear}-000001;${dayIn(rows[0]!.issuedAt)};50,00;Dubœuf;Claire;émis\r\n`
      + `SEMSOL-${lastYear}-000002;${dayIn(rows[1]!.issuedAt)};40,00;'=Martin;"Jean; Paul";émis\r\n`,
    );
  });
});
