/**
 * Two Hameau processes sharing PostgreSQL and Redis: a payment fulfilled by
 * one process reaches a village room hosted by the other (Redis presence),
 * and the live campaign feed (Server-Sent Events) served by the other; a
 * dedicated gift delivered by one lands in the honoree's room on the other.
 * Runs in the PostgreSQL pass of the suite (PGlite cannot be shared).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { onItemAdded } from "../support/room-callbacks.ts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { freshDatabase, type TestDatabase } from "../support/database.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { dataOf, openSse } from "../support/sse.ts";

const onPostgres = inject("dbKind") === "postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let database: TestDatabase | undefined;
const children: ChildServer[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  database = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  await database?.drop();
});

describe.runIf(onPostgres)("two processes, one PostgreSQL, one Redis", () => {
  it("a gift paid through process A appears in the village room and the live campaign feed of process B", async () => {
    if (database?.target.kind !== "postgres") throw new Error("needs PostgreSQL");
    const prefix = `hameau-test-${randomBytes(4).toString("hex")}:`;
    const env = { DATABASE_URL: database.target.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
    children.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const [a, b] = children.map((c) => c.url) as [string, string];

    // A published campaign of the demo NGO counting the well; its live feed is read from process B.
    const client = new pg.Client({ connectionString: database.target.url });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      `insert into campaigns (ngo_id, title_fr, title_en, goal_cents, starts_at, ends_at, published_at)
       select ngo_id, 'Puits', 'Wells', 100000, now() - interval '1 hour', now() + interval '1 day', now() from gifts where slug = 'puits' returning id`,
    );
    const campaignId = rows[0]!.id;
    await client.query("insert into campaign_gifts (campaign_id, gift_id) select $1, id from gifts where slug = 'puits'", [campaignId]);
    await client.end();
    const feed = await openSse(`${b}/api/campaigns/${campaignId}/live`);
    expect(feed.status).toBe(200);
    await feed.next(() => true);

    const guest = (await (await fetch(`${a}/api/session/guest`, { method: "POST" })).json()) as SessionResponse;
    const room = await joinVillageRoom(b, guest.token, guest.villageId);
    const arrived = new Promise<string>((resolve) => onItemAdded(room, (item) => item.donated && resolve(item.giftId)));

    const catalog = (await (await fetch(`${a}/api/catalog`)).json()) as CatalogResponse;
    const well = catalog.gifts.find((g) => g.slug === "puits")!;
    const checkout = (await (
      await fetch(`${a}/api/checkout`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${guest.token}` },
        body: JSON.stringify({ lines: [{ giftId: well.id, quantity: 1 }] }),
      })
    ).json()) as CheckoutResponse;
    const pay = await fetch(a + checkout.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect(await arrived).toBe(well.id);
    const moved = dataOf<{ raisedCents: number; donors: number }>(await feed.next((e) => dataOf<{ raisedCents: number }>(e).raisedCents > 0));
    expect(moved).toMatchObject({ raisedCents: well.priceCents, donors: 1 });
    feed.close();
    await room.leave();
  }, 60_000);

  it("a gift dedicated through process A lands once in the honoree's village room hosted by process B", async () => {
    if (database?.target.kind !== "postgres" || children.length < 2) throw new Error("needs the two processes of the test above");
    const [a, b] = children.map((c) => c.url) as [string, string];
    const guest = async () => (await (await fetch(`${a}/api/session/guest`, { method: "POST" })).json()) as SessionResponse;
    const [giver, honoree] = [await guest(), await guest()];
    // A public village: anyone may give into it, and dedicate a gift there.
    const client = new pg.Client({ connectionString: database.target.url });
    await client.connect();
    await client.query("update players set village_visibility = 'public' where id = $1", [honoree.player.id]);
    const room = await joinVillageRoom(b, honoree.token, honoree.villageId);
    const arrived = new Promise<string>((resolve) => onItemAdded(room, (item) => item.donated && resolve(item.giftId)));

    const catalog = (await (await fetch(`${a}/api/catalog`)).json()) as CatalogResponse;
    const goat = catalog.gifts.find((g) => g.slug === "chevre")!;
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(Date.now());
    const res = await fetch(`${a}/api/checkout`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${giver.token}` },
      body: JSON.stringify({
        lines: [{ giftId: goat.id, quantity: 1 }],
        dedication: { honoreeName: "Lou", deliverOn: today, to: { kind: "village", villageId: honoree.villageId } },
      }),
    });
    expect(res.status).toBe(201);
    const checkout = (await res.json()) as CheckoutResponse;
    const pay = await fetch(a + checkout.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect(await arrived).toBe(goat.id);
    // Both processes sweep: one goat, in the honoree's village.
    const { rows } = await client.query<{ village_id: string }>(
      "select i.village_id from village_items i join order_lines l on l.id = i.order_line_id where l.order_id = $1", [checkout.orderId]);
    expect(rows).toEqual([{ village_id: honoree.villageId }]);
    await client.end();
    await room.leave();
  }, 60_000);
});
