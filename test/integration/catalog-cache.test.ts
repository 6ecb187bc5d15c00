/**
 * GET /api/catalog from memory (server/services/catalog-cache.ts): an ETag and 304, the same
 * JSON in br and gzip, an NGO's edit shown at once, a window that opens shown when it opens
 * (test clock, nothing announced), a hold that lapses, and on PostgreSQL + Redis an edit made
 * through one process shown by the other.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { gifts, orders } from "../../server/db/schema.ts";
import { mailedConfirmationToken, signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { TestClock } from "../support/clock.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { rawGet, decoded } from "../support/raw-http.ts";
import { addNgoMember, demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const HOUR = 3_600_000;

describe("the catalog from memory, one process", () => {
  const clock = new TestClock();
  let server: TestServer;
  let editor: SessionResponse;
  let ngoId: string;
  const catalog = async () => (await server.api<CatalogResponse>("/api/catalog")).body;
  beforeAll(async () => {
    server = await startTestServer({ now: clock.now });
    ngoId = await demoNgoId(server);
    editor = await signUpAccount(server, "CatalogEditor");
    await addNgoMember(server, ngoId, editor.player.id, "editor");
  });
  afterAll(() => server?.stop());

  it("answers with a weak ETag, 304 when the client holds it, and the same JSON in br, gzip or as it is", async () => {
    const plain = await rawGet(`${server.url}/api/catalog`);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["content-type"]).toMatch(/^application\/json/);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const etag = plain.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const json = JSON.parse(plain.body.toString("utf8")) as CatalogResponse;
    expect(json.gifts.length).toBeGreaterThanOrEqual(6);
    for (const encoding of ["br", "gzip"] as const) {
      const res = await rawGet(`${server.url}/api/catalog`, { "accept-encoding": encoding });
      expect(res.headers["content-encoding"]).toBe(encoding);
      expect(res.headers.etag).toBe(etag);
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(decoded(res).toString("utf8"))).toEqual(json);
    }
    expect((await rawGet(`${server.url}/api/catalog`, { "accept-encoding": "gzip;q=1, br;q=0" })).headers["content-encoding"]).toBe("gzip");
    expect((await rawGet(`${server.url}/api/catalog`, { "accept-encoding": "identity" })).headers["content-encoding"]).toBeUndefined();
    const again = await rawGet(`${server.url}/api/catalog`, { "if-none-match": etag, "accept-encoding": "br" });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect((await rawGet(`${server.url}/api/catalog`, { "if-none-match": `W/"other", ${etag}` })).status).toBe(304);
    expect((await rawGet(`${server.url}/api/catalog`, { "if-none-match": 'W/"other"' })).status).toBe(200);
  });

  it("shows an NGO's edit at once, with a new ETag", async () => {
    const before = await rawGet(`${server.url}/api/catalog`);
    const goat = (JSON.parse(before.body.toString()) as CatalogResponse).gifts.find((g) => g.slug === "chevre")!;
    const name = `Chèvre ${uniqueSuffix()}`;
    const edit = await server.api(`/api/ngos/${ngoId}/gifts/${goat.id}`, { method: "PATCH", token: editor.token, body: { nameFr: name } });
    expect(edit.status).toBe(200);
    const after = await rawGet(`${server.url}/api/catalog`, { "if-none-match": before.headers.etag as string });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((JSON.parse(after.body.toString()) as CatalogResponse).gifts.find((g) => g.id === goat.id)!.name.fr).toBe(name);
  });

  it("shows a gift when its window opens and hides it when it closes, with nothing announced (test clock)", async () => {
    const goat = (await catalog()).gifts.find((g) => g.slug === "chevre")!;
    const opensAt = new Date(clock.now() + HOUR);
    const closesAt = new Date(clock.now() + 3 * HOUR);
    const edit = await server.api(`/api/ngos/${ngoId}/gifts/${goat.id}`, {
      method: "PATCH", token: editor.token, body: { availableFrom: opensAt.toISOString(), availableUntil: closesAt.toISOString() },
    });
    expect(edit.status).toBe(200);
    const waiting = await catalog();
    expect(waiting.gifts.some((g) => g.id === goat.id)).toBe(false);
    expect(Date.parse(waiting.nextChangeAt!)).toBeLessThanOrEqual(opensAt.getTime());
    // Served from memory until then.
    expect((await catalog()).gifts.some((g) => g.id === goat.id)).toBe(false);
    clock.advance(HOUR + 1000);
    expect((await catalog()).gifts.some((g) => g.id === goat.id)).toBe(true);
    clock.advance(2 * HOUR);
    expect((await catalog()).gifts.some((g) => g.id === goat.id)).toBe(false);
    await server.api(`/api/ngos/${ngoId}/gifts/${goat.id}`, { method: "PATCH", token: editor.token, body: { availableFrom: null, availableUntil: null } });
    expect((await catalog()).gifts.some((g) => g.id === goat.id)).toBe(true);
  });

  it("gives back a lapsed checkout's units when its hold ends, with nothing announced", async () => {
    const well = (await catalog()).gifts.find((g) => g.slug === "puits")!;
    await server.hameau.database.db.update(gifts).set({ stockLimit: 10 }).where(eq(gifts.id, well.id));
    await server.hameau.catalogChanged([well.id]);
    expect((await catalog()).gifts.find((g) => g.id === well.id)!.stockLeft).toBe(10);
    const buyer = await signUpAccount(server, "CatalogHolder");
    const checkout = await server.api<{ orderId: string }>("/api/checkout", { token: buyer.token, body: { lines: [{ giftId: well.id, quantity: 2 }] } });
    expect(checkout.status).toBe(201);
    expect((await catalog()).gifts.find((g) => g.id === well.id)!.stockLeft).toBe(8);
    // The hold lapses in 31 minutes: made to lapse in one second instead (behind the server's back, announced by nobody).
    await server.hameau.database.db.update(orders).set({ createdAt: new Date(Date.now() - 31 * 60_000 + 1000) }).where(eq(orders.id, checkout.body.orderId));
    await server.hameau.catalogChanged([well.id]);
    expect((await catalog()).gifts.find((g) => g.id === well.id)!.stockLeft).toBe(8);
    await vi.waitFor(async () => expect((await catalog()).gifts.find((g) => g.id === well.id)!.stockLeft).toBe(10), { timeout: 5000, interval: 200 });
    await server.hameau.database.db.update(gifts).set({ stockLimit: null }).where(eq(gifts.id, well.id));
    await server.hameau.catalogChanged([well.id]);
  });
});

const onPostgres = inject("dbKind") === "postgres";

describe.runIf(onPostgres)("the catalog from memory, two processes on PostgreSQL and Redis", () => {
  let database: TestDatabase | undefined;
  const children: ChildServer[] = [];
  beforeAll(async () => {
    database = await freshDatabase();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill("SIGTERM")));
    await database?.drop();
  });

  it("an NGO's edit made through process A shows on process B, which had the old catalog in memory", async () => {
    if (database?.target.kind !== "postgres") throw new Error("needs PostgreSQL");
    const env = { DATABASE_URL: database.target.url, REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_PREFIX: `hameau-test-${randomBytes(4).toString("hex")}:` };
    children.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const [a, b] = children.map((c) => c.url) as [string, string];
    const onB = async () => (await (await fetch(`${b}/api/catalog`)).json()) as CatalogResponse;
    const goat = (await onB()).gifts.find((g) => g.slug === "chevre")!;
    expect((await onB()).gifts.find((g) => g.id === goat.id)!.name.en).toBe(goat.name.en);

    // An editor of the demo NGO, signed up through A.
    const email = `catalog.${uniqueSuffix()}@example.org`;
    const post = (path: string, body: unknown, token?: string, method = "POST") => fetch(a + path, {
      method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    });
    expect((await post("/api/account/signup", { email, name: `Catalog ${uniqueSuffix()}` })).status).toBe(202);
    const session = (await (await post("/api/account/confirm", { token: await mailedConfirmationToken(a, email), password: "a long test password" })).json()) as SessionResponse;
    const client = new pg.Client({ connectionString: database.target.url });
    await client.connect();
    await client.query("insert into ngo_members (ngo_id, player_id, role) select ngo_id, $1, 'editor' from gifts where id = $2", [session.player.id, goat.id]);
    await client.end();

    const name = `Goat ${uniqueSuffix()}`;
    const edit = await post(`/api/ngos/${goat.ngo.id}/gifts/${goat.id}`, { nameEn: name }, session.token, "PATCH");
    expect(edit.status).toBe(200);
    // A reads its own write at once; B as soon as Redis brings it the change (well within its 30 s max age).
    expect(((await (await fetch(`${a}/api/catalog`)).json()) as CatalogResponse).gifts.find((g) => g.id === goat.id)!.name.en).toBe(name);
    await vi.waitFor(async () => expect((await onB()).gifts.find((g) => g.id === goat.id)!.name.en).toBe(name), { timeout: 3000, interval: 50 });
  }, 60_000);
});
