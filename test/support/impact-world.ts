/**
 * Helpers for the "your impact" tests: paying through the TEST MODE checkout,
 * a full refund, and an NGO editor who posts impact updates (with a real
 * photo made by sharp) and fund-trail steps about the demo NGO's projects.
 */
import sharp from "sharp";
import { eq } from "drizzle-orm";
import { expect, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { orders } from "../../server/db/schema.ts";
import { signUpAccount } from "./accounts.ts";
import { gifting } from "./gifting.ts";
import { addNgoMember, demoNgoOf } from "./ngo.ts";
import type { TestServer } from "./server.ts";
import { chargeObject, send, stripeEvent } from "./stripe-events.ts";

export function impactWorld(
  server: () => TestServer, catalog: () => CatalogResponse,
  /** How the NGO's editor signs up (the outbox's confirmation link unless told: a server with SMTP_URL has no outbox). */
  signUp: (prefix: string) => Promise<SessionResponse> = (prefix) => signUpAccount(server(), prefix),
) {
  const g = gifting(server, catalog);
  let ngo: Awaited<ReturnType<typeof demoNgoOf>> | undefined;
  let editor: SessionResponse | undefined;

  const world = {
    g,
    /** The demo NGO and an editor of it (made once). */
    async ngo() {
      if (!ngo || !editor) {
        ngo = await demoNgoOf(server());
        editor = await signUp("Editor");
        await addNgoMember(server(), ngo.id, editor.player.id, "editor");
      }
      return { ngo, editor };
    },
    project: async (slug: string) => (await world.ngo()).ngo.projects.get(slug)!,
    /** Pays these [slug, quantity] lines and waits until the order is paid; answers the order id. */
    async paid(who: SessionResponse, lines: Array<[string, number]>): Promise<string> {
      const checkout = await g.checkout(who, lines);
      expect(checkout.status).toBe(201);
      await g.pay(checkout.body);
      await vi.waitFor(async () => expect((await g.order(checkout.body.orderId)).status).toBe("paid"), { timeout: 10_000 });
      return checkout.body.orderId;
    },
    /** Refunds an order in full through a signed charge.refunded event. */
    async refundAll(orderId: string) {
      const [row] = await g.db().select().from(orders).where(eq(orders.id, orderId));
      const session = { sessionId: row!.checkoutSessionId!, orderId, totalCents: row!.totalCents, paymentIntentId: row!.paymentIntentId! };
      const res = await send(server().url, stripeEvent("charge.refunded", chargeObject(session, row!.totalCents)));
      expect(res.status).toBe(200);
      await vi.waitFor(async () => expect((await g.order(orderId)).refundedCents).toBe(row!.totalCents));
    },
    /** Uploads a real JPEG as the demo NGO's editor; answers the photo's id. */
    async photo(): Promise<string> {
      const { ngo, editor } = await world.ngo();
      const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 63, g: 125, b: 42 } } }).jpeg().toBuffer();
      const form = new FormData();
      form.append("image", new Blob([Uint8Array.from(bytes)], { type: "image/jpeg" }), "field.jpg");
      const res = await fetch(`${server().url}/api/ngos/${ngo.id}/photos`, { method: "POST", body: form, headers: { authorization: `Bearer ${editor.token}` } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { photo: { id: string } }).photo.id;
    },
    /** Posts an impact update about a demo project (with a photo when asked); answers its id. */
    async update(projectSlug: string, title: { fr: string; en: string }, opts: { photo?: boolean } = {}): Promise<string> {
      const { ngo, editor } = await world.ngo();
      const body = {
        projectId: await world.project(projectSlug), titleFr: title.fr, titleEn: title.en, bodyFr: "Merci à vous.", bodyEn: "Thank you.",
        ...(opts.photo ? { photoId: await world.photo() } : {}),
      };
      const res = await server().api<{ update: { id: string } }>(`/api/ngos/${ngo.id}/updates`, { token: editor.token, body });
      expect(res.status).toBe(201);
      return res.body.update.id;
    },
    /** Records a fund-trail step for every unit of a demo gift paid so far. */
    async step(giftSlug: string, stage: "sent_to_field" | "in_use", happenedOn: string) {
      const { ngo, editor } = await world.ngo();
      const res = await server().api(`/api/ngos/${ngo.id}/gifts/${g.gift(giftSlug).id}/trail`, { token: editor.token, body: { stage, happenedOn } });
      expect(res.status).toBe(201);
    },
  };
  return world;
}
