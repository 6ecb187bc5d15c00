/**
 * Account deletion across two Hameau processes sharing PostgreSQL and Redis:
 * a deletion through process A closes the connections process B holds (the
 * announcement goes through Colyseus' Redis presence). Runs in the PostgreSQL
 * pass of the suite (PGlite cannot be shared).
 */
import { randomBytes } from "node:crypto";
import { type Room } from "@colyseus/sdk";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { CLOSE_ACCOUNT_DELETED } from "../../shared/privacy.ts";
import { VillageState } from "../../shared/state.ts";
import { mailedConfirmationToken, uniqueSuffix } from "../support/accounts.ts";
import { spawnServer, type ChildServer } from "../support/child-server.ts";
import { freshDatabase } from "../support/database.ts";
import { joinVillageRoom } from "../support/room-join.ts";

const PASSWORD = "a long test password";
const rooms: Room<any, VillageState>[] = [];
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
});
const closed = (room: Room<any, VillageState>) => new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
const presentIds = (room: Room<any, VillageState>) => [...room.state.players.values()].map((p) => p.playerId);

describe.runIf(inject("dbKind") === "postgres")("account deletion with two processes, one PostgreSQL, one Redis", () => {
  it("a deletion through process A closes the connections process B holds", async () => {
    const database = await freshDatabase();
    const children: ChildServer[] = [];
    try {
      if (database.target.kind !== "postgres") throw new Error("needs PostgreSQL");
      const prefix = `hameau-test-${randomBytes(4).toString("hex")}:`;
      const env = { DATABASE_URL: database.target.url, REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_PREFIX: prefix };
      children.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
      const [a, b] = children.map((c) => c.url) as [string, string];
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(a + path, {
          method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json().catch(() => null)) as SessionResponse };
      };
      // Sign up through process A, confirm with the link mailed to the shared outbox.
      const signUp = async (prefix: string) => {
        const email = `${prefix.toLowerCase()}.${uniqueSuffix()}@example.org`;
        expect((await post("/api/account/signup", { email, name: `${prefix} ${uniqueSuffix()}` })).status).toBe(202);
        const confirmed = await post("/api/account/confirm", { token: await mailedConfirmationToken(a, email), password: PASSWORD });
        expect(confirmed.status).toBe(201);
        return confirmed.body;
      };
      const [host, leaving] = [await signUp("Host"), await signUp("Leaving")];
      expect((await post("/api/friends/requests", { name: host.player.name }, leaving.token)).status).toBe(201);
      expect((await post(`/api/friends/${leaving.player.id}/accept`, {}, host.token)).status).toBe(204);
      const joinOnB = async (who: SessionResponse, villageId: string) => {
        const room = await joinVillageRoom(b, who.token, villageId);
        rooms.push(room);
        await vi.waitFor(() => expect(room.state.villageId).toBe(villageId));
        return room;
      };
      const hostRoom = await joinOnB(host, host.villageId);
      const visit = await joinOnB(leaving, host.villageId);
      const home = await joinOnB(leaving, leaving.villageId);
      await vi.waitFor(() => expect(presentIds(hostRoom)).toHaveLength(2));
      const closures = [closed(visit), closed(home)];
      const res = await fetch(`${a}/api/me`, {
        method: "DELETE", headers: { "content-type": "application/json", authorization: `Bearer ${leaving.token}` },
        body: JSON.stringify({ confirm: "DELETE", password: PASSWORD }),
      });
      expect(res.status).toBe(204);
      expect(await Promise.all(closures)).toEqual([CLOSE_ACCOUNT_DELETED, CLOSE_ACCOUNT_DELETED]);
      await vi.waitFor(() => expect(presentIds(hostRoom)).toEqual([host.player.id]));
    } finally {
      await Promise.all(children.map((c) => c.kill("SIGTERM")));
      await database.drop();
    }
  }, 60_000);
});
