/**
 * The matchmaking door's per-address limit (lowered here so a test can reach
 * it): past it, every join from that address is refused with 429 before its
 * body is read or a ticket looked up, whoever asks and for whichever room.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomTicket } from "../support/room-join.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ roomJoinLimits: { perAddress: 6, perSession: 100 } });
});
afterAll(async () => {
  await server?.stop();
});

const matchmake = async (method: string, room: string, body: unknown) => {
  const res = await fetch(`${server.url}/matchmake/${method}/${room}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
};

describe("joins per address", () => {
  it("are limited across rooms, methods and sessions", async () => {
    const guest = await server.guest();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await matchmake("create", "village", { villageId: guest.villageId }));
    answers.push(await matchmake("joinOrCreate", "village", { villageId: guest.villageId, ticket: await roomTicket(server.url, guest.token) }));
    answers.push(await matchmake("joinOrCreate", "campaign", { campaignId: crypto.randomUUID() }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 200, 404]);
    const over = await matchmake("joinOrCreate", "village", { villageId: guest.villageId, ticket: await roomTicket(server.url, guest.token) });
    expect(over).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect((await matchmake("join", "campaign", { campaignId: crypto.randomUUID() })).status).toBe(429);
  });
});
