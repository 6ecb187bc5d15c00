/**
 * "My donations": every order of the caller (never anyone else's) with its
 * status, refunds per line, NGOs and papers; and the payment receipt PDF that
 * names every NGO of the basket, the refunds and the project of the extra
 * support (the largest line's, as booked).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { MyDonationResponse, MyDonationsResponse } from "../../shared/my-donations.ts";
import { orders } from "../../server/db/schema.ts";
import { createNgoWithGift } from "../support/ngo.ts";
import { pdfText } from "../support/pdf-text.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { chargeObject, disputeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let catalog: CatalogResponse;
let other: Awaited<ReturnType<typeof createNgoWithGift>>;

beforeAll(async () => {
  server = await startTestServer();
  other = await createNgoWithGift(server, "approved");
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(() => server?.stop());

const giftId = (slug: string) => catalog.gifts.find((g) => g.slug === slug)!.id;

async function checkout(who: SessionResponse, lines: Array<[string, number]>, supportCents = 0) {
  const res = await server.api<CheckoutResponse>("/api/checkout", {
    token: who.token, body: { lines: lines.map(([g, quantity]) => ({ giftId: g.length === 36 ? g : giftId(g), quantity })), supportCents },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function pay(c: CheckoutResponse) {
  const res = await fetch(server.url + c.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
  const [row] = await server.hameau.database.db.select().from(orders).where(eq(orders.id, c.orderId));
  return { sessionId: row!.checkoutSessionId!, orderId: row!.id, totalCents: row!.totalCents, paymentIntentId: row!.paymentIntentId! };
}

const list = (who: SessionResponse) => server.api<MyDonationsResponse>("/api/me/donations", { token: who.token });

describe("my donations", () => {
  it("lists the caller's own orders only, with status, refunds per line, NGOs and the receipt", async () => {
    const me = await server.guest();
    const someoneElse = await server.guest();
    // Goat 35 € (demo NGO) + 2 × 5 € (other NGO) + 5 € support → the goat's project.
    const basket = await checkout(me, [["chevre", 1], [other.giftId, 2]], 500);
    const session = await pay(basket);
    const pending = await checkout(me, [["poules", 1]]);
    const disputed = await pay(await checkout(me, [["ruche", 1]]));
    const theirs = await pay(await checkout(someoneElse, [["poules", 1]]));
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(session, 1000)))).body.outcome).toBe("refunded");
    expect((await send(server.url, stripeEvent("charge.dispute.created", disputeObject(disputed, "dp_mine_1", "needs_response")))).body.outcome).toBe("dispute_opened");

    const res = await list(me);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const ids = res.body.donations.map((d) => d.orderId);
    expect(ids.sort()).toEqual([basket.orderId, pending.orderId, disputed.orderId].sort());
    expect(ids).not.toContain(theirs.orderId);

    const byId = new Map(res.body.donations.map((d) => [d.orderId, d]));
    expect(byId.get(pending.orderId)).toMatchObject({ status: "pending", receiptPath: null, paidAt: null });
    expect(byId.get(disputed.orderId)!.status).toBe("disputed");
    const mixed = byId.get(basket.orderId)!;
    expect(mixed).toMatchObject({ status: "refunded_partially", totalCents: 5000, refundedCents: 1000, receiptPath: `/api/orders/${basket.orderId}/receipt.pdf` });
    expect(mixed.lines.reduce((s, l) => s + l.refundedCents, 0)).toBe(1000);
    expect(mixed.lines.reduce((s, l) => s + l.amountCents, 0)).toBe(5000);
    const support = mixed.lines.find((l) => l.support)!;
    const goat = mixed.lines.find((l) => l.giftId === giftId("chevre"))!;
    expect(support.projectName).toEqual(goat.projectName);
    expect(mixed.ngos.map((n) => n.ngoId).sort()).toEqual([goat && catalog.gifts.find((g) => g.slug === "chevre")!.ngo.id, other.ngoId].sort());
    expect(mixed.ngos.reduce((s, n) => s + n.paidCents, 0)).toBe(5000);
    // The one refund split (shared/refund-split.ts): the extra support first, then as few gifts as cover the rest.
    expect(mixed.ngos.find((n) => n.ngoId === other.ngoId)).toMatchObject({ paidCents: 1000, refundedCents: 500 });
    expect(support.refundedCents).toBe(500);
    expect(goat.refundedCents).toBe(0);

    // One order by id: mine answers, someone else's (or nonsense) is 404.
    const one = await server.api<MyDonationResponse>(`/api/me/donations/${basket.orderId}`, { token: me.token });
    expect(one.status).toBe(200);
    expect(one.body.donation.orderId).toBe(basket.orderId);
    expect((await server.api(`/api/me/donations/${theirs.orderId}`, { token: me.token })).status).toBe(404);
    expect((await server.api("/api/me/donations/not-an-id%00", { token: me.token })).status).toBe(400); // a NUL in the URL is refused at the door (text_invalid)
    expect((await server.api("/api/me/donations")).status).toBe(401);
  });

  it("the payment receipt PDF names every NGO of the basket with its share, the refunds per line, the support's project, and is not a tax receipt", async () => {
    const me = await server.guest();
    const basket = await checkout(me, [["chevre", 1], [other.giftId, 2]], 500);
    const session = await pay(basket);
    await send(server.url, stripeEvent("charge.refunded", chargeObject(session, 1000)));
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    for (const lang of ["fr", "en"] as const) {
      const res = await fetch(`${server.url}/api/orders/${basket.orderId}/receipt.pdf?lang=${lang}`, { headers: { authorization: `Bearer ${me.token}` } });
      expect(res.status).toBe(200);
      const text = pdfText(Buffer.from(await res.arrayBuffer()));
      expect(text).toContain(goat.ngo.name);
      expect(text).toContain(`Association ${(await ngoName(other.ngoId))}`);
      if (lang === "fr") {
        expect(text).toContain("RÉPARTITION PAR ORGANISATION");
        expect(text).toContain("Un paiement, plusieurs organisations bénéficiaires");
        expect(text).toContain("Montant conservé");
        expect(text.match(/remboursé -5,00/g)).toHaveLength(2);
        expect(text).toContain("40,00");
        expect(text).toContain("Ce document n'est pas un reçu fiscal.");
        expect(text).toContain(`Soutien en plus au projet ${goat.project.name.fr}`);
      } else {
        expect(text).toContain("WHAT EACH ORGANISATION RECEIVED");
        expect(text).toContain("This document is not a tax receipt.");
      }
    }
  });
});

async function ngoName(ngoId: string): Promise<string> {
  const res = await server.api<CatalogResponse>("/api/catalog");
  return res.body.gifts.find((g) => g.ngo.id === ngoId)!.ngo.name;
}
