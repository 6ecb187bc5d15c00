/**
 * The player's own data: the export (a guest's, an account's with money,
 * friends, a block, a donor profile and a tax receipt — and never a secret),
 * and account deletion: refused without confirmation or the password,
 * otherwise everything live is revoked (sessions, room connections, the
 * village), the rest removed, and the accounting kept: orders and the ledger
 * stay, the ledger check passes, and money moving after the deletion (a
 * refund, a lost dispute) still posts and balances. Across two processes:
 * account-deletion-scale-out.test.ts.
 */
import { randomBytes } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import { and, eq, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, MeResponse, SessionResponse } from "../../shared/api.ts";
import { CLOSE_ACCOUNT_DELETED, type DataExport } from "../../shared/privacy.ts";
import type { FriendsResponse, InviteResponse } from "../../shared/social.ts";
import { VillageState } from "../../shared/state.ts";
import {
  accounts, blocks, donorProfiles, friendInvites, friendLinks, ledgerTransactions, notifications, orders, players, sessions, taxReceipts,
  villageItems, villages,
} from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { hashToken } from "../../server/services/players.ts";
import { parisYear } from "../../server/services/receipts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { chargeObject, disputeObject, send, stripeEvent } from "../support/stripe-events.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

let server: TestServer;
let catalog: CatalogResponse;
const rooms: Room<any, VillageState>[] = [];
const PASSWORD = "a long test password";
const lastYear = parisYear(new Date()) - 1;
const donor = { firstName: "Claire", lastName: "Dubœuf", addressLines: ["3 place de l'Église"], postalCode: "35000", city: "Rennes", country: "France" };

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await server?.stop();
});

const db = () => server.hameau.database.db;
const gift = (slug: string) => catalog.gifts.find((g) => g.slug === slug)!;

interface Player extends SessionResponse {
  email: string;
  password: string;
}
function account(prefix: string): Promise<Player> {
  return signUpAccount(server, prefix, { password: PASSWORD });
}
async function befriend(a: SessionResponse, b: SessionResponse) {
  expect((await server.api("/api/friends/requests", { token: a.token, body: { name: b.player.name } })).status).toBe(201);
  expect((await server.api(`/api/friends/${a.player.id}/accept`, { method: "POST", token: b.token })).status).toBe(204);
}
/**
 * Buys through the TEST MODE checkout (a signed webhook); optionally dated last year, or given into
 * another village with the giver's name shown (until checkout takes a target village, which the
 * gifting work adds, the pending order is pointed there directly).
 */
async function paidOrder(who: SessionResponse, lines: Array<[string, number]>, opts: { lastYear?: boolean; into?: string } = {}) {
  const checkout = await server.api<CheckoutResponse>("/api/checkout", {
    token: who.token, body: { lines: lines.map(([slug, quantity]) => ({ giftId: gift(slug).id, quantity })) },
  });
  expect(checkout.status).toBe(201);
  if (opts.into) await db().update(orders).set({ villageId: opts.into, showGiverName: true }).where(eq(orders.id, checkout.body.orderId));
  const pay = await fetch(server.url + checkout.body.checkoutUrl.replace(/\?.*$/, "") + "/pay", { method: "POST", redirect: "manual" });
  expect(pay.status).toBe(303);
  if (opts.lastYear) {
    await db().update(orders).set({ paidAt: new Date(Date.UTC(lastYear, 5, 15, 10)) }).where(eq(orders.id, checkout.body.orderId));
  }
  const [row] = await db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
  expect(row!.status).toBe("paid");
  return { orderId: row!.id, sessionId: row!.checkoutSessionId!, totalCents: row!.totalCents, paymentIntentId: row!.paymentIntentId! };
}
async function join(who: SessionResponse, villageId: string) {
  const room = await joinVillageRoom(server.url, who.token, villageId);
  rooms.push(room);
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return room;
}
const closed = (room: Room<any, VillageState>) => new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
const presentIds = (room: Room<any, VillageState>) => [...room.state.players.values()].map((p) => p.playerId);
const exportOf = (who: SessionResponse) => server.api<DataExport>("/api/me/export", { token: who.token });
const deleteMe = (who: SessionResponse, body?: unknown) => server.api<{ error: { code: string } }>("/api/me", { method: "DELETE", token: who.token, body });
const outcome = async (type: Parameters<typeof stripeEvent>[0], object: Record<string, unknown>) => {
  const res = await send(server.url, stripeEvent(type, object));
  expect(res.status).toBe(200);
  return res.body.outcome;
};

/** Whatever the export says, it never carries one of these. */
function expectNoSecrets(raw: string, secrets: string[]) {
  expect(raw).not.toMatch(/argon2/i);
  expect(raw).not.toMatch(/password/i);
  expect(raw).not.toMatch(/token/i);
  for (const secret of secrets) expect(raw).not.toContain(secret);
}

describe("data export", () => {
  it("gives a guest their player, settings, session dates and village, as a dated JSON download", async () => {
    const guest = await server.guest();
    const res = await fetch(`${server.url}/api/me/export`, { headers: { authorization: `Bearer ${guest.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="hameau-export-${today}.json"`);
    expect(res.headers.get("cache-control")).toMatch(/no-store/);
    const raw = await res.text();
    const data = JSON.parse(raw) as DataExport;
    expect(data.format).toBe("hameau-export/1");
    expect(data.player).toMatchObject({ id: guest.player.id, name: guest.player.name, settings: { villageVisibility: "friends", showPresence: false }, coins: 0 });
    expect(new Date(data.player.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(data.account).toBeNull();
    expect(data.sessions).toHaveLength(1);
    expect(data.sessions[0]).toMatchObject({ current: true });
    expect(Object.keys(data.sessions[0]!).sort()).toEqual(["createdAt", "current", "expiresAt"]);
    expect(data.village.id).toBe(guest.villageId);
    expect(data.village.items.map((i) => i.sprite).sort()).toEqual(["flower", "house", "pine", "pine", "rock", "tree"]);
    expect(data.village.items.every((i) => i.kind === "decor" && i.tile !== null)).toBe(true);
    expect(data).toMatchObject({ orders: [], notifications: [], donorProfile: null, taxReceipts: [], friends: [], blocks: [], invites: [] });
    expect(data.friendRequests).toEqual({ incoming: [], outgoing: [] });
    expectNoSecrets(raw, [guest.token, hashToken(guest.token)]);
  });

  it("gives an account everything: email, sessions, orders with lines and refunds, gifts, notifications, donor profile, tax receipt, friends, requests, blocks, invites", async () => {
    const [me, friend, asked, asking, blocked] = [await account("Export"), await account("Pal"), await account("Asked"), await account("Asking"), await account("Pest")];
    const blockedBy = await account("Blocker");
    await befriend(me, friend);
    expect((await server.api("/api/friends/requests", { token: me.token, body: { name: asked.player.name } })).status).toBe(201);
    expect((await server.api("/api/friends/requests", { token: asking.token, body: { name: me.player.name } })).status).toBe(201);
    expect((await server.api(`/api/blocks/${blocked.player.id}`, { method: "POST", token: me.token })).status).toBe(204);
    expect((await server.api(`/api/blocks/${me.player.id}`, { method: "POST", token: blockedBy.token })).status).toBe(204);
    const invite = await server.api<InviteResponse>("/api/friends/invites", { method: "POST", token: me.token });
    expect(invite.status).toBe(201);
    expect((await server.api("/api/me/donor", { method: "PUT", token: me.token, body: donor })).status).toBe(200);
    const goat = await paidOrder(me, [["chevre", 1]], { lastYear: true });
    const hens = await paidOrder(me, [["poules", 1], ["sachet-de-graines", 2]]);
    expect(await outcome("charge.refunded", chargeObject(hens, hens.totalCents))).toBe("refunded");
    const receipt = await server.api<{ id: string; number: string; totalCents: number }>("/api/tax-receipts", {
      token: me.token, body: { ngoId: gift("chevre").ngo.id, year: lastYear },
    });
    expect(receipt.status).toBe(201);
    const second = await server.api<SessionResponse>("/api/account/signin", { body: { email: me.email, password: me.password } });
    expect(second.status).toBe(200);

    const res = await exportOf(me);
    expect(res.status).toBe(200);
    const data = res.body;
    const raw = JSON.stringify(data);
    expect(data.player).toMatchObject({ id: me.player.id, name: me.player.name });
    expect(data.account).toMatchObject({ email: me.email });
    expect(data.sessions).toHaveLength(2);
    expect(data.sessions.filter((s) => s.current)).toHaveLength(1);

    expect(data.orders.map((o) => o.id)).toEqual([goat.orderId, hens.orderId]);
    const [goatOrder, hensOrder] = data.orders;
    expect(goatOrder).toMatchObject({
      status: "paid", totalCents: goat.totalCents, refundedCents: 0, currency: "EUR", provider: "test", toOwnVillage: true, villageId: me.villageId,
      lines: [{ giftId: gift("chevre").id, gift: gift("chevre").name, ngo: gift("chevre").ngo, quantity: 1, unitPriceCents: gift("chevre").priceCents }],
    });
    expect(hensOrder).toMatchObject({ status: "paid", refundedCents: hens.totalCents });
    expect(hensOrder!.lines.map((l) => [l.giftId, l.quantity]).sort()).toEqual([[gift("poules").id, 1], [gift("sachet-de-graines").id, 2]].sort());

    const gifts = data.village.items.filter((i) => i.kind === "gift");
    expect(gifts).toHaveLength(4);
    expect(gifts.filter((i) => i.orderId === goat.orderId)).toMatchObject([{ giftId: gift("chevre").id, removedAt: null, removalReason: null }]);
    const refunded = gifts.filter((i) => i.orderId === hens.orderId);
    expect(refunded).toHaveLength(3);
    expect(refunded.every((i) => i.removalReason === "refunded" && i.removedAt !== null)).toBe(true);
    // The friend told me they accepted, another asked to be my friend (their id and public name only), then the refund.
    expect(data.notifications).toMatchObject([
      { kind: "friend_accepted", payload: { playerId: friend.player.id, name: friend.player.name } },
      { kind: "friend_request", payload: { playerId: asking.player.id, name: asking.player.name } },
      { kind: "gift_withdrawn", payload: { orderId: hens.orderId, reason: "refunded" } },
    ]);
    expect(Object.keys(data.notifications[1]!.payload as object).sort()).toEqual(["name", "playerId"]);

    expect(data.donorProfile).toMatchObject(donor);
    expect(data.taxReceipts).toMatchObject([
      { id: receipt.body.id, number: receipt.body.number, year: lastYear, ngo: gift("chevre").ngo, totalCents: receipt.body.totalCents, currency: "EUR" },
    ]);

    expect(data.friends.map((f) => f.player)).toEqual([friend.player]);
    expect(data.friends[0]!.acceptedAt).not.toBeNull();
    expect(data.friendRequests.outgoing.map((r) => r.player)).toEqual([asked.player]);
    expect(data.friendRequests.incoming.map((r) => r.player)).toEqual([asking.player]);
    expect(data.blocks.map((b) => b.player)).toEqual([blocked.player]);
    expect(raw).not.toContain(blockedBy.player.id); // who blocked me is not mine to know
    expect(data.invites).toHaveLength(1);
    expect(data.invites[0]).toMatchObject({ expiresAt: invite.body.expiresAt, revokedAt: null });

    const [hash] = await db().select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.playerId, me.player.id));
    expectNoSecrets(raw, [hash!.passwordHash, me.token, hashToken(me.token), second.body.token, hashToken(second.body.token), invite.body.token, hashToken(invite.body.token)]);
  });

  it("needs a session", async () => {
    expect((await server.api("/api/me/export")).status).toBe(401);
  });
});

describe("account deletion is refused", () => {
  it("without the confirmation word, without the password, or with a wrong one; nothing changes", async () => {
    const me = await account("Careful");
    const before = (await exportOf(me)).body;
    expect((await deleteMe(me)).body.error.code).toBe("confirmation_required");
    for (const body of [{ confirm: "delete" }, { confirm: "yes", password: me.password }]) {
      const res = await deleteMe(me, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("confirmation_required");
    }
    for (const body of [{ confirm: "DELETE" }, { confirm: "DELETE", password: "not the password at all" }]) {
      const res = await deleteMe(me, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("invalid_credentials");
    }
    expect((await server.api<MeResponse>("/api/me", { token: me.token })).body).toMatchObject({ player: me.player, account: { email: me.email } });
    const after = (await exportOf(me)).body;
    expect({ ...after, exportedAt: "" }).toEqual({ ...before, exportedAt: "" });
  });

  it("for a guest without the confirmation word", async () => {
    const guest = await server.guest();
    const res = await deleteMe(guest, { password: "whatever it is" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("confirmation_required");
    expect((await server.api("/api/me", { token: guest.token })).status).toBe(200);
  });

  it("without a session", async () => {
    expect((await server.api("/api/me", { method: "DELETE", body: { confirm: "DELETE" } })).status).toBe(401);
  });
});

describe("deleting an account", () => {
  let me: Player, friend: Player, pest: Player, follower: Player;
  let goat: Awaited<ReturnType<typeof paidOrder>>, seeds: Awaited<ReturnType<typeof paidOrder>>, tree: Awaited<ReturnType<typeof paidOrder>>;
  /** A gift the leaving player gave into the friend's village, name shown. */
  let present: Awaited<ReturnType<typeof paidOrder>>;
  const friendNotes = () => db().select().from(notifications).where(eq(notifications.playerId, friend.player.id));
  let receiptId: string;
  let home: Room<any, VillageState>, visiting: Room<any, VillageState>, friendVisiting: Room<any, VillageState>, friendHome: Room<any, VillageState>;

  beforeAll(async () => {
    [me, friend, pest, follower] = [await account("Leaving"), await account("Stays"), await account("Nuisance"), await account("Follower")];
    await befriend(me, friend);
    expect((await server.api("/api/friends/requests", { token: follower.token, body: { name: me.player.name } })).status).toBe(201);
    expect((await server.api(`/api/blocks/${pest.player.id}`, { method: "POST", token: me.token })).status).toBe(204);
    expect((await server.api(`/api/blocks/${me.player.id}`, { method: "POST", token: pest.token })).status).toBe(204);
    expect((await server.api("/api/friends/invites", { method: "POST", token: me.token })).status).toBe(201);
    expect((await server.api("/api/account/settings", { method: "PATCH", token: me.token, body: { showPresence: true } })).status).toBe(200);
    expect((await server.api("/api/me/donor", { method: "PUT", token: me.token, body: donor })).status).toBe(200);
    goat = await paidOrder(me, [["chevre", 1]], { lastYear: true });
    seeds = await paidOrder(me, [["sachet-de-graines", 2]]);
    tree = await paidOrder(me, [["arbre-fruitier", 1]]);
    present = await paidOrder(me, [["ruche", 1]], { into: friend.villageId });
    expect(await friendNotes()).toMatchObject([{ kind: "gift_received", payload: { orderId: present.orderId, fromName: me.player.name } }]);
    const receipt = await server.api<{ id: string }>("/api/tax-receipts", { token: me.token, body: { ngoId: gift("chevre").ngo.id, year: lastYear } });
    expect(receipt.status).toBe(201);
    receiptId = receipt.body.id;

    home = await join(me, me.villageId);
    friendHome = await join(friend, friend.villageId);
    visiting = await join(me, friend.villageId);
    friendVisiting = await join(friend, me.villageId);
    await vi.waitFor(() => expect(presentIds(friendHome).sort()).toEqual([friend.player.id, me.player.id].sort()));
    const online = (await server.api<FriendsResponse>("/api/friends", { token: friend.token })).body.friends.find((f) => f.player.id === me.player.id);
    expect(online?.online).not.toBeNull();
    expect(await checkLedger(db())).toEqual([]);
  });

  it("answers 204, closes every room connection of the player and their village for everyone", async () => {
    const closures = [closed(home), closed(visiting), closed(friendVisiting)];
    const res = await deleteMe(me, { confirm: "DELETE", password: me.password });
    expect(res.status).toBe(204);
    expect(await Promise.all(closures)).toEqual([CLOSE_ACCOUNT_DELETED, CLOSE_ACCOUNT_DELETED, CLOSE_ACCOUNT_DELETED]);
    // The friend's own village stays open, without the deleted player in it.
    await vi.waitFor(() => expect(presentIds(friendHome)).toEqual([friend.player.id]));
    friendHome.send("emote", { emote: "wave" });
    await vi.waitFor(() => expect([...friendHome.state.players.values()][0]!.emote).toBe("wave"));
  });

  it("revokes the sessions: the token answers 401, in the API and the rooms", async () => {
    expect((await server.api("/api/me", { token: me.token })).status).toBe(401);
    expect((await exportOf(me)).status).toBe(401);
    expect((await deleteMe(me, { confirm: "DELETE", password: me.password })).status).toBe(401);
    await expect(join(me, friend.villageId)).rejects.toThrow();
    expect(await db().select().from(sessions).where(eq(sessions.playerId, me.player.id))).toEqual([]);
  });

  it("removes the player from friends' lists and the village from the world", async () => {
    const list = (await server.api<FriendsResponse>("/api/friends", { token: friend.token })).body;
    expect(list.friends.map((f) => f.player.id)).not.toContain(me.player.id);
    const requests = (await server.api<FriendsResponse>("/api/friends", { token: follower.token })).body;
    expect(requests.friends).toEqual([]);
    const blocker = (await server.api<FriendsResponse>("/api/friends", { token: pest.token })).body;
    expect(blocker.blocked).toEqual([]);
    await expect(join(friend, me.villageId)).rejects.toThrow(/No such village/);
    // Its name can no longer be found either.
    expect((await server.api("/api/friends/requests", { token: friend.token, body: { name: me.player.name } })).status).toBe(404);
  });

  it("frees the email and the name: the same person can sign up again, as a new player", async () => {
    const again = await signUpAccount(server, "Again", { email: me.email, password: "another long password", name: me.player.name });
    expect(again.player.id).not.toBe(me.player.id);
    expect(again.villageId).not.toBe(me.villageId);
  });

  it("leaves an anonymised player row and an empty, nameless village; removes everything else", async () => {
    const [row] = await db().select().from(players).where(eq(players.id, me.player.id));
    expect(row).toMatchObject({ displayName: "", villageVisibility: "friends", showPresence: false, coins: 0 });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(row)).not.toContain(me.email);
    expect(await db().select().from(accounts).where(eq(accounts.playerId, me.player.id))).toEqual([]);
    expect(await db().select().from(friendLinks).where(or(eq(friendLinks.requesterId, me.player.id), eq(friendLinks.addresseeId, me.player.id)))).toEqual([]);
    expect(await db().select().from(blocks).where(or(eq(blocks.blockerId, me.player.id), eq(blocks.blockedId, me.player.id)))).toEqual([]);
    expect(await db().select().from(friendInvites).where(eq(friendInvites.inviterId, me.player.id))).toEqual([]);
    expect(await db().select().from(donorProfiles).where(eq(donorProfiles.playerId, me.player.id))).toEqual([]);
    expect(await db().select().from(notifications).where(eq(notifications.playerId, me.player.id))).toEqual([]);
    const [village] = await db().select().from(villages).where(eq(villages.id, me.villageId));
    expect(village).toMatchObject({ ownerId: me.player.id, name: "" });
    const items = await db().select().from(villageItems).where(eq(villageItems.villageId, me.villageId));
    // Only the donated gifts' rows stay (they record which paid line granted what), all removed.
    expect(items).toHaveLength(4);
    expect(items.every((i) => i.giftId !== null && i.removedAt !== null && i.removalReason === "account_deleted" && i.x === null)).toBe(true);
  });

  it("leaves the gifts they gave in the friend's village, without their name", async () => {
    const given = await db().select().from(villageItems).where(eq(villageItems.villageId, friend.villageId));
    expect(given.filter((i) => i.giftId === gift("ruche").id && i.removedAt === null)).toHaveLength(1);
    const notes = await friendNotes();
    expect(notes).toMatchObject([{ kind: "gift_received", payload: { orderId: present.orderId, fromName: null } }]);
    expect(JSON.stringify(notes)).not.toContain(me.player.name);
  });

  it("keeps the accounting: orders, lines and ledger untouched, the tax receipt kept for the NGO but detached", async () => {
    const kept = await db().select().from(orders).where(eq(orders.playerId, me.player.id));
    expect(kept.map((o) => [o.id, o.status]).sort()).toEqual(
      [[goat.orderId, "paid"], [seeds.orderId, "paid"], [tree.orderId, "paid"], [present.orderId, "paid"]].sort(),
    );
    const donations = await db().select().from(ledgerTransactions).where(and(eq(ledgerTransactions.kind, "donation"), sql`${ledgerTransactions.orderId} in (${goat.orderId}, ${seeds.orderId}, ${tree.orderId})`));
    expect(donations).toHaveLength(3);
    const [receipt] = await db().select().from(taxReceipts).where(eq(taxReceipts.id, receiptId));
    expect(receipt!.playerId).toBeNull();
    expect(receipt!.content).toMatchObject({ donor: { lastName: donor.lastName }, totalCents: goat.totalCents });
    expect(await checkLedger(db())).toEqual([]);
  });

  it("still books a refund and a lost dispute arriving afterwards, balanced, with no notification stored", async () => {
    expect(await outcome("charge.refunded", chargeObject(seeds, seeds.totalCents))).toBe("refunded");
    const [refundedOrder] = await db().select().from(orders).where(eq(orders.id, seeds.orderId));
    expect(refundedOrder!.refundedCents).toBe(seeds.totalCents);
    const refunds = await db().select().from(ledgerTransactions).where(and(eq(ledgerTransactions.orderId, seeds.orderId), eq(ledgerTransactions.kind, "refund")));
    expect(refunds).toHaveLength(1);
    expect(await checkLedger(db())).toEqual([]);

    const dispute = `dp_${randomBytes(6).toString("hex")}`;
    expect(await outcome("charge.dispute.created", disputeObject(tree, dispute, "needs_response"))).toBe("dispute_opened");
    expect(await outcome("charge.dispute.closed", disputeObject(tree, dispute, "lost"))).toBe("dispute_lost");
    const [lostOrder] = await db().select().from(orders).where(eq(orders.id, tree.orderId));
    expect(lostOrder!.disputeStatus).toBe("lost");
    expect(await db().select().from(notifications).where(eq(notifications.playerId, me.player.id))).toEqual([]);
    // The gifts stay removed for the deletion, not re-labelled.
    const items = await db().select().from(villageItems).where(eq(villageItems.villageId, me.villageId));
    expect(items.every((i) => i.removalReason === "account_deleted")).toBe(true);
    expect(await checkLedger(db())).toEqual([]);
  });

  it("takes back a gift they gave, on its refund afterwards, and tells the friend who had it", async () => {
    expect(await outcome("charge.refunded", chargeObject(present, present.totalCents))).toBe("refunded");
    const given = await db().select().from(villageItems).where(eq(villageItems.villageId, friend.villageId));
    expect(given.filter((i) => i.giftId === gift("ruche").id).map((i) => i.removalReason)).toEqual(["refunded"]);
    expect((await friendNotes()).map((n) => n.kind).sort()).toEqual(["gift_received", "gift_withdrawn"]);
    expect(await checkLedger(db())).toEqual([]);
  });
});

describe("deleting a guest", () => {
  it("needs only the confirmation word, and closes the guest's room", async () => {
    const guest = await server.guest();
    const room = await join(guest, guest.villageId);
    const closing = closed(room);
    expect((await deleteMe(guest, { confirm: "DELETE" })).status).toBe(204);
    expect(await closing).toBe(CLOSE_ACCOUNT_DELETED);
    expect((await server.api("/api/me", { token: guest.token })).status).toBe(401);
    const [row] = await db().select().from(players).where(eq(players.id, guest.player.id));
    expect(row).toMatchObject({ displayName: "" });
    expect(row!.deletedAt).not.toBeNull();
    expect(await db().select().from(villageItems).where(eq(villageItems.villageId, guest.villageId))).toEqual([]);
  });

  it("cancels a dropped connection's way back: it does not come back, and leaves the room at once", async () => {
    const [host, visitor] = [await account("Host"), await account("Visitor")];
    await befriend(host, visitor);
    const hostRoom = await join(host, host.villageId);
    const visit = await join(visitor, host.villageId);
    await vi.waitFor(() => expect(presentIds(hostRoom)).toHaveLength(2));
    visit.reconnection.enabled = false;
    const token = visit.reconnectionToken;
    void visit.leave(false); // a network cut: the server keeps the place for 20 s
    await vi.waitFor(() => expect([...hostRoom.state.players.values()].find((p) => p.playerId === visitor.player.id)?.connected).toBe(false));
    expect((await deleteMe(visitor, { confirm: "DELETE", password: visitor.password })).status).toBe(204);
    await vi.waitFor(() => expect(presentIds(hostRoom)).toEqual([host.player.id]), { timeout: 3000 });
    const client = new Client(server.url);
    await expect(client.reconnect(token, VillageState)).rejects.toThrow();
  });
});
