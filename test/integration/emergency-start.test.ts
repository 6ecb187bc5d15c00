/**
 * Emergencies that become visible later than their publication reach every
 * open village when they do: a campaign published ahead of its start, once
 * it starts, a pending NGO's running emergency, once the NGO is approved,
 * and an NGO's running emergency once its Stripe account can take payments.
 * Each only once. The server checks every 100 ms here (15 s by
 * default) and runs on a test clock.
 */
import { type Room } from "@colyseus/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CampaignView, CreateCampaignRequest } from "../../shared/campaigns.ts";
import { type EmergencyMessage } from "../../shared/messages.ts";
import { VillageState } from "../../shared/state.ts";
import { ngos } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { addNgoMember, createNgoWithGift, makeTestPlatformAdmin } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

const MINUTE = 60_000;
const clock = new TestClock();
let server: TestServer;
const rooms: Room<any, VillageState>[] = [];

beforeAll(async () => {
  server = await startTestServer({ now: clock.now, emergencyCheckMs: 100 });
});
afterAll(async () => {
  await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
  await server?.stop();
});

/** A player in their village, with every emergency message they receive. */
async function resident(): Promise<EmergencyMessage[]> {
  const guest = await server.guest();
  const room = await joinVillageRoom(server.url, guest.token, guest.villageId);
  rooms.push(room);
  const alerts: EmergencyMessage[] = [];
  room.onMessage("emergency", (m: EmergencyMessage) => alerts.push(m));
  await vi.waitFor(() => expect(room.state.villageId).toBe(guest.villageId));
  return alerts;
}

async function publishedEmergency(ngoId: string, giftId: string, startsInMs: number, token: string): Promise<CampaignView> {
  const body: CreateCampaignRequest = {
    titleFr: "Inondations", titleEn: "Floods", goalCents: 50_000, giftIds: [giftId], emergency: true,
    startsAt: new Date(clock.now() + startsInMs).toISOString(), endsAt: new Date(clock.now() + startsInMs + 24 * 60 * MINUTE).toISOString(),
  };
  const created = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, { token, body });
  expect(created.status).toBe(201);
  const published = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns/${created.body.id}/publish`, { method: "POST", token });
  expect(published.status).toBe(200);
  return published.body;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

describe("emergencies that become visible after their publication", () => {
  it("reach open villages when they start, once", async () => {
    const ngo = await createNgoWithGift(server, "approved");
    const editor = await signUpAccount(server, "Urgence");
    await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
    const alerts = await resident();

    const later = await publishedEmergency(ngo.ngoId, ngo.giftId, 10 * MINUTE, editor.token);
    await settle();
    expect(alerts).toEqual([]); // published, but not started: nobody is alerted yet

    clock.advance(11 * MINUTE);
    await vi.waitFor(() => expect(alerts.map((a) => a.campaignId)).toEqual([later.id]), { timeout: 3000 });
    await settle();
    expect(alerts.map((a) => a.campaignId)).toEqual([later.id]);
    expect(alerts[0]).toMatchObject({ title: { fr: "Inondations", en: "Floods" }, giftIds: [ngo.giftId] });
  });

  it("reach open villages when their NGO is approved, once", async () => {
    const ngo = await createNgoWithGift(server, "pending");
    const editor = await signUpAccount(server, "Attente");
    await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
    const reviewer = await signUpAccount(server, "Revue");
    await makeTestPlatformAdmin(server, reviewer.player.id);
    const alerts = await resident();

    const running = await publishedEmergency(ngo.ngoId, ngo.giftId, -MINUTE, editor.token);
    const about = () => alerts.filter((a) => a.campaignId === running.id).length;
    await settle();
    expect(about()).toBe(0); // a pending NGO reaches nobody

    const approved = await server.api(`/api/admin/ngos/${ngo.ngoId}/approve`, { token: reviewer.token, body: {} });
    expect(approved.status).toBe(200);
    await vi.waitFor(() => expect(about()).toBe(1), { timeout: 3000 });
    await settle();
    expect(about()).toBe(1);
  });

  it("reach open villages when their NGO's Stripe account can take payments (its gifts enter the shop), once", async () => {
    const ngo = await createNgoWithGift(server, "approved", { connected: false });
    const editor = await signUpAccount(server, "Compte");
    await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
    const alerts = await resident();

    const running = await publishedEmergency(ngo.ngoId, ngo.giftId, -MINUTE, editor.token);
    const about = () => alerts.filter((a) => a.campaignId === running.id).length;
    await settle();
    expect(about()).toBe(0); // its gifts are not offered: nobody is sent to them
    const joining = await resident();
    await settle();
    expect(joining.filter((a) => a.campaignId === running.id)).toEqual([]);

    // As account.updated leaves it (test/integration/stripe-connect-accounts.test.ts goes through the webhook).
    await server.hameau.database.db.update(ngos).set({ stripeChargesEnabled: true }).where(eq(ngos.id, ngo.ngoId));
    await vi.waitFor(() => expect(about()).toBe(1), { timeout: 3000 });
    await settle();
    expect(about()).toBe(1);
  });
});
