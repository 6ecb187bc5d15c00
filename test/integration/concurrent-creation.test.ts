// @both-databases: concurrent first joins and sign-ups.
/**
 * The same thing created many times at once (PostgreSQL runs them truly in
 * parallel): each NGO application, project and gift gets a slug of its own,
 * and the same tax receipt asked for six times is issued once and answered
 * six times. Never a 500.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, CheckoutResponse } from "../../shared/api.ts";
import { orders, taxReceipts } from "../../server/db/schema.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { addNgoMember, insertNgoWithGift, ngoApplication } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const statuses = (results: Array<{ status: number }>) => [...new Set(results.map((r) => r.status))].sort();

describe("twenty creations with one name at once", () => {
  it("give twenty NGO applications twenty slugs", { timeout: 30_000 }, async () => {
    const applicant = await signUpAccount(server, "Racer");
    const body = ngoApplication({ name: "Puits en même temps" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => server.api<{ ngo: { slug: string } }>("/api/ngos/applications", { token: applicant.token, body })),
    );
    expect(statuses(results)).toEqual([201]);
    expect(new Set(results.map((r) => r.body.ngo.slug)).size).toBe(20);
    expect(results.map((r) => r.body.ngo.slug)).toContain("puits-en-meme-temps");
  });

  it("give twenty gifts and twenty projects twenty slugs each", { timeout: 30_000 }, async () => {
    const editor = await signUpAccount(server, "GiftRacer");
    const ngo = await insertNgoWithGift(server, { name: "Racing NGO", projectName: "Racing", giftName: "Racing gift", priceCents: 500 });
    await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
    const gift = { nameFr: "Chèvre pressée", nameEn: "Hurried goat", impactFr: "Lait", impactEn: "Milk", priceCents: 900, projectId: ngo.projectId, sprite: "goat" };
    const gifts = await Promise.all(
      Array.from({ length: 20 }, () => server.api<{ slug: string }>(`/api/ngos/${ngo.ngoId}/gifts`, { token: editor.token, body: gift })),
    );
    expect(statuses(gifts)).toEqual([201]);
    expect(new Set(gifts.map((r) => r.body.slug)).size).toBe(20);
    const projects = await Promise.all(
      Array.from({ length: 20 }, () =>
        server.api<{ slug: string }>(`/api/ngos/${ngo.ngoId}/projects`, { token: editor.token, body: { nameFr: "Projet pressé", nameEn: "Hurried", country: "SN" } })),
    );
    expect(statuses(projects)).toEqual([201]);
    expect(new Set(projects.map((r) => r.body.slug)).size).toBe(20);
  });
});

describe("the same tax receipt asked for six times at once", () => {
  it("is issued once, and every request answers it", { timeout: 30_000 }, async () => {
    const catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
    const gift = catalog.gifts[0]!;
    const donor = await server.guest();
    const checkout = await server.api<CheckoutResponse>("/api/checkout", { token: donor.token, body: { lines: [{ giftId: gift.id, quantity: 1 }] } });
    const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    const lastYear = parisYear(new Date()) - 1;
    await server.hameau.database.db.update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, checkout.body.orderId));
    const profile = { firstName: "Nour", lastName: "Haddad", addressLines: ["2 rue Neuve"], postalCode: "13001", city: "Marseille", country: "France" };
    expect((await server.api("/api/me/donor", { method: "PUT", token: donor.token, body: profile })).status).toBe(200);

    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.api<{ id: string; number: string }>("/api/tax-receipts", { token: donor.token, body: { ngoId: gift.ngo.id, year: lastYear } })),
    );
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.number)).size).toBe(1);
    const stored = await server.hameau.database.db.select().from(taxReceipts).where(eq(taxReceipts.playerId, donor.player.id));
    expect(stored).toHaveLength(1);
  });
});
