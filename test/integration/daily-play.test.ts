// @both-databases: rewards paid once under concurrent claims.
/**
 * Daily play with real SDK clients and HTTP: farming earns XP and advances
 * today's quests in the action's own transaction; watering a friend's crop
 * rewards both players, up to the cap per friend per Paris day; a finished
 * quest and the daily reward are paid once, even when 20 claims arrive at
 * once; the next Paris day brings new quests, a new reward and a fresh cap;
 * a decoration waits for its level.
 */
import { type Room } from "@colyseus/sdk";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { QUESTS } from "../../shared/daily-quests.ts";
import { HELP_CAP_PER_FRIEND_PER_DAY, HELP_REWARD } from "../../shared/friend-help.ts";
import type { RoomErrorMessage } from "../../shared/messages.ts";
import type { DataExport } from "../../shared/privacy.ts";
import { nextParisMidnight, parisDay } from "../../shared/paris-day.ts";
import type { ClaimResponse, ProgressMessage, ProgressView } from "../../shared/progress-api.ts";
import { XP_FOR } from "../../shared/progression.ts";
import { VillageState } from "../../shared/state.ts";
import { friendHelpDays, players, progressClaims } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { persistentDatabase, type TestDatabase } from "../support/database.ts";
import { joinVillageRoom } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

type VillageRoom = Room<any, VillageState>;
interface Joined {
  room: VillageRoom;
  progress: ProgressMessage[];
}

const HOUR = 3_600_000;
const clock = new TestClock();
let database: TestDatabase;
let server: TestServer;
let owner: SessionResponse, friend: SessionResponse;
const rooms: VillageRoom[] = [];
const db = () => server.hameau.database.db;

/** Moves the test clock to noon in Paris on the next Paris day: far from any midnight, whenever the test runs. */
function nextParisNoon() {
  const now = clock.now();
  clock.advance(nextParisMidnight(now) + 12 * HOUR - now);
}

async function join(who: SessionResponse, villageId: string): Promise<Joined> {
  const room = await joinVillageRoom(server.url, who.token, villageId);
  rooms.push(room);
  const joined: Joined = { room, progress: [] };
  room.onMessage("progress", (m: ProgressMessage) => joined.progress.push(m));
  for (const type of ["ownerView", "cropWatered", "harvested", "giftArrived", "notification", "emergency", "referrals"]) room.onMessage(type, () => {});
  await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
  return joined;
}

function refused(room: VillageRoom, type: string, payload: unknown): Promise<RoomErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (m: RoomErrorMessage) => {
      off();
      resolve(m);
    });
    room.send(type, payload);
  });
}

const cropAt = (room: VillageRoom, x: number, y: number) => [...room.state.items.values()].find((i) => i.kind === "crop" && i.x === x && i.y === y);
async function plant(home: Joined, x: number, y: number): Promise<string> {
  home.room.send("plant", { crop: "wheat", x, y });
  await vi.waitFor(() => expect(cropAt(home.room, x, y)).toBeDefined());
  return cropAt(home.room, x, y)!.id;
}

async function progressOf(who: SessionResponse): Promise<ProgressView> {
  const res = await server.api<ProgressView>("/api/progress", { token: who.token });
  expect(res.status).toBe(200);
  return res.body;
}
async function coinsOf(playerId: string): Promise<number> {
  const [row] = await db().select({ coins: players.coins }).from(players).where(eq(players.id, playerId));
  return row!.coins;
}
async function helpsToday(helperId: string, ownerId: string): Promise<number | undefined> {
  const day = parisDay(clock.now());
  const [row] = await db().select({ helps: friendHelpDays.helps }).from(friendHelpDays)
    .where(and(eq(friendHelpDays.helperId, helperId), eq(friendHelpDays.ownerId, ownerId), eq(friendHelpDays.day, day)));
  return row?.helps;
}

/** Sends the same claim 20 times at once: answers the statuses and the one success. */
async function claimTwentyTimes(who: SessionResponse, path: string) {
  const answers = await Promise.all(Array.from({ length: 20 }, () => server.api<ClaimResponse>(path, { method: "POST", token: who.token, body: {} })));
  const ok = answers.filter((a) => a.status === 200);
  return { ok, others: answers.filter((a) => a.status !== 200) };
}

beforeAll(async () => {
  nextParisNoon();
  database = await persistentDatabase();
  server = await startTestServer({ database, now: clock.now });
  [owner, friend] = [await signUpAccount(server, "Grower"), await signUpAccount(server, "Helper")];
  await server.api("/api/friends/requests", { token: owner.token, body: { name: friend.player.name } });
  expect((await server.api(`/api/friends/${owner.player.id}/accept`, { method: "POST", token: friend.token })).status).toBe(204);
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => r.leave().catch(() => {})));
  await server?.stop();
  await database?.drop();
});

describe("daily play", () => {
  let home: Joined;
  let plantQuest: ProgressView["quests"][number];

  beforeAll(async () => {
    home = await join(owner, owner.villageId);
  });

  it("starts at level 1 with three quests for today and a daily reward to claim", async () => {
    const view = await progressOf(owner);
    expect(view).toMatchObject({ level: 1, xp: 0, day: parisDay(clock.now()), daily: { claimable: true, streak: 1 } });
    expect(view.quests).toHaveLength(3);
    expect(view.quests.every((q) => q.progress === 0 && !q.claimed)).toBe(true);
    plantQuest = view.quests.find((q) => q.activity === "plant")!;
    expect(plantQuest).toBeDefined();
  });

  it("earns XP and advances the planting quest by planting in the room, and says so to the planter", async () => {
    await plant(home, 0, 0);
    await vi.waitFor(() => expect(home.progress).toHaveLength(1));
    expect(home.progress[0]).toMatchObject({ reason: "plant", gain: { xp: XP_FOR.plant, coins: 0, levelsReached: [], completed: [] }, balance: 0 });
    expect(home.progress[0]!.view.quests.find((q) => q.id === plantQuest.id)!.progress).toBe(1);
    const view = await progressOf(owner);
    expect(view.xp).toBe(XP_FOR.plant);
    expect(view.quests.find((q) => q.id === plantQuest.id)!.progress).toBe(1);
  });

  it("refuses to pay a quest not finished yet, nor a quest that is not today's", async () => {
    const early = await server.api(`/api/progress/quests/${plantQuest.id}/claim`, { method: "POST", token: owner.token, body: {} });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: "quest_not_done" } });
    const notToday = Object.keys(QUESTS).find((id) => !(home.progress[0]!.view.quests.some((q) => q.id === id)))!;
    const unknown = await server.api(`/api/progress/quests/${notToday}/claim`, { method: "POST", token: owner.token, body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: "quest_unknown" } });
  });

  it("pays a quest finished by planting once, whatever 20 claims at once ask", async () => {
    for (let x = 1; x < plantQuest.target; x += 1) await plant(home, x, 0);
    await vi.waitFor(() => expect(home.progress.at(-1)!.gain.completed).toEqual([plantQuest.id]));
    const before = await coinsOf(owner.player.id);
    const { ok, others } = await claimTwentyTimes(owner, `/api/progress/quests/${plantQuest.id}/claim`);
    expect(ok).toHaveLength(1);
    expect(others.map((a) => [a.status, (a.body as unknown as { error: { code: string } }).error.code])).toEqual(Array(19).fill([409, "already_claimed"]));
    const paid = ok[0]!.body;
    expect(paid.gain.coins).toBeGreaterThanOrEqual(plantQuest.coins);
    expect(paid.view.quests.find((q) => q.id === plantQuest.id)!.claimed).toBe(true);
    expect(await coinsOf(owner.player.id)).toBe(before + paid.gain.coins);
    expect(paid.balance).toBe(before + paid.gain.coins);
    const claims = await db().select().from(progressClaims).where(eq(progressClaims.playerId, owner.player.id));
    expect(claims.map((c) => [c.reward, c.coins])).toEqual([[plantQuest.id, plantQuest.coins]]);
  });

  it("pays the daily reward once, whatever 20 claims at once ask", async () => {
    const before = await coinsOf(owner.player.id);
    const xpBefore = (await progressOf(owner)).xp;
    const { ok, others } = await claimTwentyTimes(owner, "/api/progress/daily-reward");
    expect(ok).toHaveLength(1);
    expect(others.every((a) => a.status === 409)).toBe(true);
    expect(ok[0]!.body.view.daily).toMatchObject({ claimable: false, streak: 1 });
    expect(await coinsOf(owner.player.id)).toBe(before + ok[0]!.body.gain.coins);
    expect((await progressOf(owner)).xp).toBe(xpBefore + 10);
  });

  it("rewards both players when a friend waters, up to the cap per friend per day; past it, the watering pays no reward", async () => {
    const crops: string[] = [];
    for (let x = 0; x <= HELP_CAP_PER_FRIEND_PER_DAY; x += 1) crops.push(await plant(home, x, 2));
    const visit = await join(friend, owner.villageId);
    const [ownerCoins, ownerXp, friendCoins] = [await coinsOf(owner.player.id), (await progressOf(owner)).xp, await coinsOf(friend.player.id)];
    const helped = home.progress.length;
    for (const [n, itemId] of crops.entries()) {
      visit.room.send("water", { itemId });
      // The waterer hears "water", then "help" while under the cap.
      await vi.waitFor(() => expect(visit.progress.filter((m) => m.reason === "water")).toHaveLength(n + 1));
    }
    await vi.waitFor(() => expect(visit.progress.filter((m) => m.reason === "help")).toHaveLength(HELP_CAP_PER_FRIEND_PER_DAY));
    for (const m of visit.progress.filter((p) => p.reason === "help")) expect(m.gain).toMatchObject({ xp: HELP_REWARD.helper.xp, coins: HELP_REWARD.helper.coins });
    await vi.waitFor(() => expect(home.progress.length - helped).toBe(HELP_CAP_PER_FRIEND_PER_DAY));
    expect(home.progress.slice(helped).every((m) => m.reason === "helped" && m.gain.xp === HELP_REWARD.owner.xp)).toBe(true);
    expect(await helpsToday(friend.player.id, owner.player.id)).toBe(HELP_CAP_PER_FRIEND_PER_DAY);
    expect(await coinsOf(friend.player.id)).toBe(friendCoins + HELP_CAP_PER_FRIEND_PER_DAY * HELP_REWARD.helper.coins);
    expect((await progressOf(owner)).xp).toBe(ownerXp + HELP_CAP_PER_FRIEND_PER_DAY * HELP_REWARD.owner.xp);
    expect(await coinsOf(owner.player.id)).toBeGreaterThanOrEqual(ownerCoins + HELP_CAP_PER_FRIEND_PER_DAY * HELP_REWARD.owner.coins);
    expect((await progressOf(friend)).xp).toBe((HELP_CAP_PER_FRIEND_PER_DAY + 1) * XP_FOR.water + HELP_CAP_PER_FRIEND_PER_DAY * HELP_REWARD.helper.xp);
  });

  it("starts again on the next Paris day: new quests and reward, and the help cap reset", async () => {
    const yesterday = await progressOf(owner);
    nextParisNoon();
    const today = await progressOf(owner);
    expect(today.day).not.toBe(yesterday.day);
    expect(today.quests.every((q) => q.progress === 0 && !q.claimed)).toBe(true);
    expect(today.daily).toMatchObject({ claimable: true, streak: 2 });
    expect(today.xp).toBe(yesterday.xp);

    const visit = await join(friend, owner.villageId);
    const itemId = await plant(home, 5, 4);
    visit.room.send("water", { itemId });
    await vi.waitFor(() => expect(visit.progress.filter((m) => m.reason === "help")).toHaveLength(1));
    expect(await helpsToday(friend.player.id, owner.player.id)).toBe(1);

    const reward = await server.api<ClaimResponse>("/api/progress/daily-reward", { method: "POST", token: owner.token, body: {} });
    expect(reward.status).toBe(200);
    expect(reward.body.view.daily).toMatchObject({ claimable: false, streak: 2 });
  });

  it("shows the helps given and received, and the rewards claimed, in each player's data export", async () => {
    const mine = await server.api<DataExport>("/api/me/export", { token: friend.token });
    expect(mine.status).toBe(200);
    expect(mine.body.progress.helpsGiven.map((h) => [h.ownerId, h.helps])).toEqual([[owner.player.id, HELP_CAP_PER_FRIEND_PER_DAY], [owner.player.id, 1]]);
    expect(mine.body.progress.helpsReceived).toEqual([]);
    const theirs = await server.api<DataExport>("/api/me/export", { token: owner.token });
    expect(theirs.body.progress.helpsReceived.map((h) => h.helperId)).toEqual([friend.player.id, friend.player.id]);
    expect(theirs.body.progress.claims.map((c) => c.reward).sort()).toEqual(["daily", "daily", plantQuest.id].sort());
  });

  it("keeps a decoration for the level that unlocks it", async () => {
    expect((await progressOf(owner)).level).toBeLessThan(5);
    expect(await refused(home.room, "buyDecoration", { decorationId: "fountain" })).toMatchObject({ code: "level_too_low", about: "buyDecoration" });
  });
});
