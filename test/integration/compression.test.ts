/**
 * Compressed responses: JSON and HTML of 1 KB or more in br or gzip by Accept-Encoding (and
 * small ones as they are), never a Stripe webhook's answer, never the live feed's events
 * (each still arrives at once); the built client's files from their pre-compressed copies
 * (client/build/precompress.ts) with Vary and a year's immutable cache for hashed files; the
 * art compressed once in memory. Needs the built client (`npx vite build`; npm test does it).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { campaigns, campaignGifts, gifts, ngos } from "../../server/db/schema.ts";
import { eq } from "drizzle-orm";
import { signUpAccount } from "../support/accounts.ts";
import { addNgoMember, demoNgoId } from "../support/ngo.ts";
import { decoded, rawGet } from "../support/raw-http.ts";
import { openSse } from "../support/sse.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const CLIENT = path.resolve("dist/client");
let server: TestServer;
let viewer: SessionResponse;
let ngoId: string;
beforeAll(async () => {
  if (!existsSync(path.join(CLIENT, "index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer({ liveHeartbeatMs: 200 });
  ngoId = await demoNgoId(server);
  viewer = await signUpAccount(server, "Squeezed");
  await addNgoMember(server, ngoId, viewer.player.id, "viewer");
});
afterAll(() => server?.stop());

describe("JSON and HTML", () => {
  it("go in br or gzip above 1 KB by Accept-Encoding, with Vary, and decode to what goes uncompressed", async () => {
    const url = `${server.url}/api/ngos/${ngoId}/gifts`;
    const auth = { authorization: `Bearer ${viewer.token}` };
    const plain = await rawGet(url, auth);
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    for (const encoding of ["br", "gzip"] as const) {
      const res = await rawGet(url, { ...auth, "accept-encoding": `${encoding}, deflate` });
      expect(res.headers["content-encoding"]).toBe(encoding);
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(decoded(res).toString())).toEqual(JSON.parse(plain.body.toString()));
    }
    // A refusal is small: as it is.
    const refused = await rawGet(`${server.url}/api/nope`, { "accept-encoding": "br" });
    expect(refused.status).toBe(404);
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(refused.body.toString()).error.code).toBe("not_found");
  });

  it("compresses a server-rendered public page", async () => {
    const [ngo] = await server.hameau.database.db.select({ slug: ngos.slug }).from(ngos).where(eq(ngos.id, ngoId));
    const res = await rawGet(`${server.url}/n/${ngo!.slug}`, { "accept-encoding": "br" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(decoded(res).toString()).toMatch(/^<!DOCTYPE html>/i);
  });

  it("never compresses a Stripe webhook's answer", async () => {
    const res = await fetch(`${server.url}/webhooks/stripe`, {
      method: "POST", headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=forged", "accept-encoding": "br, gzip" }, body: "{}",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-encoding")).toBeNull();
  });

  it("sends the live feed's events uncompressed, each as it happens", async () => {
    const db = server.hameau.database.db;
    const [well] = await db.select({ id: gifts.id }).from(gifts).where(eq(gifts.slug, "puits"));
    const [campaign] = await db.insert(campaigns).values({
      ngoId, titleFr: "Puits", titleEn: "Wells", goalCents: 100_000, startsAt: new Date(Date.now() - 3_600_000), endsAt: new Date(Date.now() + 86_400_000), publishedAt: new Date(),
    }).returning({ id: campaigns.id });
    await db.insert(campaignGifts).values({ campaignId: campaign!.id, giftId: well!.id });
    const feed = await openSse(`${server.url}/api/campaigns/${campaign!.id}/live`, { "accept-encoding": "br, gzip" });
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(feed.headers.get("content-encoding")).toBeNull();
    await feed.next(() => true);
    // Heartbeats every 200 ms: they arrive one by one, never held back by a compressor.
    const seen = feed.comments.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(feed.comments.length).toBeGreaterThanOrEqual(seen + 2);
    feed.close();
  });
});

describe("static files", () => {
  const hashed = readdirSync(path.join(CLIENT, "static")).find((f) => /^main-.*\.js$/.test(f))!;

  it("are served from their pre-compressed copies, hashed ones cached for a year", async () => {
    const original = readFileSync(path.join(CLIENT, "static", hashed));
    for (const [encoding, suffix] of [["br", ".br"], ["gzip", ".gz"]] as const) {
      const res = await rawGet(`${server.url}/static/${hashed}`, { "accept-encoding": encoding });
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe(encoding);
      expect(res.headers["content-type"]).toMatch(/^text\/javascript/);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(res.body.equals(readFileSync(path.join(CLIENT, "static", hashed + suffix)))).toBe(true);
      expect(decoded(res).equals(original)).toBe(true);
    }
    const plain = await rawGet(`${server.url}/static/${hashed}`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.body.equals(original)).toBe(true);
    // The compressed copies are not addressable themselves.
    expect((await rawGet(`${server.url}/static/${hashed}.br`)).status).toBe(404);
  });

  it("serve the game page pre-compressed and revalidated on every load", async () => {
    const res = await rawGet(`${server.url}/`, { "accept-encoding": "gzip, br" });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(decoded(res).equals(readFileSync(path.join(CLIENT, "index.html")))).toBe(true);
  });

  it("compress the art once in memory, with an ETag that answers 304", async () => {
    const sprite = readdirSync("assets/sprites").find((f) => f.endsWith(".svg") && readFileSync(path.join("assets/sprites", f)).length > 2048)!;
    const res = await rawGet(`${server.url}/assets/sprites/${sprite}`, { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["content-type"]).toMatch(/^image\/svg\+xml/);
    expect(res.headers["cache-control"]).toBe("public, max-age=3600");
    expect(decoded(res).equals(readFileSync(path.join("assets/sprites", sprite)))).toBe(true);
    const again = await rawGet(`${server.url}/assets/sprites/${sprite}`, { "accept-encoding": "gzip", "if-none-match": res.headers.etag as string });
    expect(again.status).toBe(304);
    expect((await rawGet(`${server.url}/assets/sprites/nope.svg`, { "accept-encoding": "gzip" })).status).toBe(404);
    expect((await rawGet(`${server.url}/assets/..%2f..%2fpackage.json`, { "accept-encoding": "gzip" })).status).toBeGreaterThanOrEqual(400);
  });
});
