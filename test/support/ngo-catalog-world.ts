/**
 * The NGO catalog tests' world: a server (TEST MODE checkout), an approved
 * NGO with an admin, an editor and a viewer (confirmed accounts), another NGO
 * with its own editor, a project in each, a guest stranger; and helpers to
 * call the API, draft and create gifts, and buy through the TEST MODE page.
 * `ngoCatalogWorld()` registers the hooks; call it at the top of a test file.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, vi } from "vitest";
import type { CatalogResponse, CheckoutResponse, SessionResponse } from "../../shared/api.ts";
import type { GiftCreateRequest, NgoGiftView, NgoProjectView } from "../../shared/ngo-catalog.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "./accounts.ts";
import { type VillageRoom, gifting } from "./gifting.ts";
import { addNgoMember, insertTestNgo } from "./ngo.ts";
import { startTestServer, type TestServer } from "./server.ts";

export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

export interface NgoCatalogPeople {
  server: TestServer;
  ngo: { id: string };
  other: { id: string };
  admin: SessionResponse;
  editor: SessionResponse;
  viewer: SessionResponse;
  stranger: SessionResponse;
  otherEditor: SessionResponse;
  project: NgoProjectView;
  otherProject: NgoProjectView;
}

export const HOUR = 3_600_000;
/** An ISO time this far from now. */
export const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

export function ngoCatalogWorld() {
  const people = {} as NgoCatalogPeople;
  let catalog: CatalogResponse = { gifts: [], nextChangeAt: null };
  const g = gifting(() => people.server, () => catalog);
  const db = () => people.server.hameau.database.db;
  const call = <T = unknown>(who: SessionResponse | null, method: string, path: string, body?: unknown) =>
    people.server.api<T & ErrorBody>(path, { method, token: who?.token, ...(body === undefined ? {} : { body }) });
  const shop = async () => (await people.server.api<CatalogResponse>("/api/catalog")).body;
  let n = 0;

  beforeAll(async () => {
    const server = await startTestServer();
    people.server = server;
    catalog = await shop();
    people.ngo = await insertTestNgo(people.server);
    people.other = await insertTestNgo(people.server);
    people.admin = await signUpAccount(server, "Admin");
    people.editor = await signUpAccount(server, "Editor");
    people.viewer = await signUpAccount(server, "Viewer");
    people.otherEditor = await signUpAccount(server, "Other");
    people.stranger = await server.guest();
    await addNgoMember(people.server, people.ngo.id, people.admin.player.id, "admin");
    await addNgoMember(people.server, people.ngo.id, people.editor.player.id, "editor");
    await addNgoMember(people.server, people.ngo.id, people.viewer.player.id, "viewer");
    await addNgoMember(people.server, people.other.id, people.otherEditor.player.id, "editor");
    const created = await call<NgoProjectView>(people.editor, "POST", `/api/ngos/${people.ngo.id}/projects`, {
      nameFr: "Élevage au Sénégal", nameEn: "Livestock in Senegal", country: "sn",
    });
    expect(created.status).toBe(201);
    people.project = created.body;
    people.otherProject = (await call<NgoProjectView>(people.otherEditor, "POST", `/api/ngos/${people.other.id}/projects`, {
      nameFr: "Puits", nameEn: "Wells", country: "MG",
    })).body;
  });
  afterAll(async () => {
    // A room already left never answers: do not wait for it.
    await Promise.all(g.rooms.map((r) => Promise.race([r.leave().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000))])));
    if (people.server) expect(await checkLedger(db())).toEqual([]);
    await people.server?.stop();
  });

  return {
    people,
    g,
    db,
    call,
    shop,
    inShop: async (id: string) => (await shop()).gifts.some((gift) => gift.id === id),
    /** Rows in gifts and projects: "nothing was written" compares these. */
    async catalogRows() {
      const result = (await db().execute(sql`select (select count(*) from gifts)::int as gifts, (select count(*) from projects)::int as projects`)) as unknown as {
        rows: Array<{ gifts: number; projects: number }>;
      };
      return result.rows[0]!;
    },
    /** A valid gift body for this NGO's project, with a fresh name. */
    draft(over: Partial<GiftCreateRequest> = {}): GiftCreateRequest {
      n++;
      return {
        nameFr: `Poules solidaires ${n}`, nameEn: `Solidarity hens ${n}`, descriptionFr: "Trois poules pondeuses.", descriptionEn: "Three laying hens.",
        impactFr: "Des œufs chaque jour.", impactEn: "Eggs every day.", priceCents: 1500, projectId: people.project.id, sprite: "chickens", ...over,
      };
    },
    async createGift(body: GiftCreateRequest, who = people.editor, ngoId = people.ngo.id): Promise<NgoGiftView> {
      const res = await call<NgoGiftView>(who, "POST", `/api/ngos/${ngoId}/gifts`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },
    /** Buys a gift through the TEST MODE checkout and waits until the order is paid. */
    async buy(buyer: SessionResponse, giftId: string, quantity = 1): Promise<CheckoutResponse> {
      const res = await call<CheckoutResponse>(buyer, "POST", "/api/checkout", { lines: [{ giftId, quantity }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await g.pay(res.body);
      await vi.waitFor(async () => expect((await g.order(res.body.orderId)).status).toBe("paid"));
      return res.body;
    },
    /** Joins a village room that listens to catalogChanged (as the browser client does). */
    async join(who: SessionResponse, villageId: string): Promise<VillageRoom> {
      const room = await g.join(who, villageId);
      room.onMessage("catalogChanged", () => {});
      return room;
    },
  };
}
