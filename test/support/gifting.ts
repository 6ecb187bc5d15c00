/** Helpers for the gifting tests: accounts, friendships, rooms and paying through the TEST MODE checkout. */
import { type Room } from "@colyseus/sdk";
import { and, eq, sql } from "drizzle-orm";
import { expect, vi } from "vitest";
import type { CatalogResponse, CheckoutRequest, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import { VillageState } from "../../shared/state.ts";
import { ngoTransfers, notifications, orders } from "../../server/db/schema.ts";
import type { NotificationsResponse } from "../../shared/notifications.ts";
import type { TestServer } from "./server.ts";
import { joinVillageRoom } from "./room-join.ts";

export type VillageRoom = Room<any, VillageState>;

export function gifting(server: () => TestServer, catalog: () => CatalogResponse) {
  const rooms: VillageRoom[] = [];
  const db = () => server().hameau.database.db;
  const gift = (slug: string) => {
    const found = catalog().gifts.find((g) => g.slug === slug);
    if (!found) throw new Error(`no gift ${slug}`);
    return found;
  };
  return {
    rooms,
    db,
    gift,
    async befriend(a: SessionResponse, b: SessionResponse) {
      await server().api("/api/friends/requests", { token: a.token, body: { name: b.player.name } });
      expect((await server().api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
      // Both have seen the friendship's own notices (request, acceptance), so a test counts only what follows.
      for (const who of [a, b]) {
        await vi.waitFor(async () => {
          const feed = await server().api<NotificationsResponse>("/api/notifications", { token: who.token });
          const friendly = feed.body.notifications.filter((n) => n.kind === "friend_request" || n.kind === "friend_accepted");
          if (who === a) expect(friendly.some((n) => n.kind === "friend_accepted")).toBe(true);
          const unread = friendly.filter((n) => !n.readAt).map((n) => n.id);
          if (unread.length) await server().api("/api/notifications/read", { token: who.token, body: { ids: unread } });
        });
      }
    },
    async join(who: SessionResponse, villageId: string): Promise<VillageRoom> {
      const room = await joinVillageRoom(server().url, who.token, villageId);
      rooms.push(room);
      await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
      return room;
    },
    /** POST /api/checkout with these [slug, quantity] lines and options. */
    checkout(who: SessionResponse, lines: Array<[string, number]>, options: Omit<CheckoutRequest, "lines"> = {}) {
      return server().api<CheckoutResponse & { error?: { code: string; message: string } }>("/api/checkout", {
        token: who.token, body: { lines: lines.map(([slug, quantity]) => ({ giftId: gift(slug).id, quantity })), ...options },
      });
    },
    /** Clicks Pay on the TEST MODE page: the server signs and delivers the event to its own webhook. */
    async pay(checkout: CheckoutResponse) {
      const res = await fetch(server().url + checkout.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
      expect(res.status).toBe(303);
    },
    /** Waits until the order is paid and every NGO transfer it owes is made and booked (the outbox works after commit). */
    async settled(orderId: string) {
      await vi.waitFor(async () => {
        const [row] = await db().select().from(orders).where(eq(orders.id, orderId));
        expect(row?.status).toBe("paid");
        const pending = await db().select().from(ngoTransfers).where(and(eq(ngoTransfers.orderId, orderId), eq(ngoTransfers.status, "pending")));
        expect(pending).toEqual([]);
      }, { timeout: 10_000, interval: 50 });
    },
    async order(orderId: string) {
      const [row] = await db().select().from(orders).where(eq(orders.id, orderId));
      return row!;
    },
    /** Every stored gift_received notification about an order. */
    async receivedNotificationsOf(orderId: string) {
      return db().select().from(notifications).where(and(eq(notifications.kind, "gift_received"), sql`${notifications.payload}->>'orderId' = ${orderId}`));
    },
    /** The checkout.session.completed event the TEST MODE page delivered for an order, as stored. */
    async storedCompletedEvent(orderId: string): Promise<{ id: string } & Record<string, unknown>> {
      const result = (await db().execute(
        sql`select payload from stripe_events where type = 'checkout.session.completed' and payload->'data'->'object'->'metadata'->>'orderId' = ${orderId}`,
      )) as unknown as { rows: Array<{ payload: { id: string } & Record<string, unknown> }> };
      expect(result.rows).toHaveLength(1);
      return result.rows[0]!.payload;
    },
  };
}

/** Resolves with the next message of a type; register it before causing the message. */
export function nextMessage<T>(room: VillageRoom, type: string): Promise<T> {
  return new Promise((resolve) => {
    const off = room.onMessage(type, (m: T) => {
      off();
      resolve(m);
    });
  });
}

/** Collects every message of a type a room receives from now on. */
export function collect<T>(room: VillageRoom, type: string): T[] {
  const seen: T[] = [];
  room.onMessage(type, (m: T) => seen.push(m));
  return seen;
}

/** True when a JSON value mentions money anywhere: a key about amounts, prices, cents or totals, or a euro sign. */
export function mentionsMoney(value: unknown): boolean {
  if (typeof value === "string") return value.includes("€");
  if (Array.isArray(value)) return value.some(mentionsMoney);
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => /cents|amount|price|total|currency/i.test(k) || mentionsMoney(v));
  }
  return false;
}
