/**
 * Photos uploaded for an update that never came are deleted a day after
 * their upload (on start and periodically, each process), not before; a
 * photo an update shows stays.
 */
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { type PhotoUploadResponse, UNATTACHED_PHOTO_TTL_MS } from "../../shared/impact-updates.ts";
import { photos } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { TestClock } from "../support/clock.ts";
import { addNgoMember, insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const clock = new TestClock();
let server: TestServer;
let editor: SessionResponse;
let ngo: { ngoId: string; projectId: string };

beforeAll(async () => {
  server = await startTestServer({ now: clock.now, photoSweepMs: 100 });
  editor = await signUpAccount(server, "Photographer");
  ngo = await insertNgoWithGift(server, { name: "Photo NGO", projectName: "Photos", giftName: "Photo gift", priceCents: 500 });
  await addNgoMember(server, ngo.ngoId, editor.player.id, "editor");
});
afterAll(() => server?.stop());

async function upload(): Promise<string> {
  const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 10, g: 120, b: 40 } } }).jpeg().toBuffer();
  const form = new FormData();
  form.append("image", new Blob([Uint8Array.from(jpeg)], { type: "image/jpeg" }), "photo.jpg");
  const res = await fetch(`${server.url}/api/ngos/${ngo.ngoId}/photos`, { method: "POST", body: form, headers: { authorization: `Bearer ${editor.token}` } });
  expect(res.status).toBe(201);
  return ((await res.json()) as PhotoUploadResponse).photo.id;
}

const stored = async (photoId: string) => (await server.hameau.database.db.select({ id: photos.id }).from(photos).where(eq(photos.id, photoId))).length === 1;

describe("photos never attached to an update", () => {
  it("are deleted a day after their upload, not before; attached ones stay", async () => {
    const attached = await upload();
    const forgotten = await upload();
    const update = await server.api(`/api/ngos/${ngo.ngoId}/updates`, {
      token: editor.token, body: { projectId: ngo.projectId, titleFr: "Arrivée", titleEn: "Arrived", bodyFr: "Merci", bodyEn: "Thanks", photoId: attached },
    });
    expect(update.status).toBe(201);
    // Just under a day: nothing goes.
    clock.advance(UNATTACHED_PHOTO_TTL_MS - 60_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await stored(forgotten)).toBe(true);

    clock.advance(2 * 60_000);
    await vi.waitFor(async () => expect(await stored(forgotten)).toBe(false), { timeout: 3000 });
    expect(await stored(attached)).toBe(true);
    const media = await fetch(`${server.url}/media/photos/${forgotten}`, { headers: { authorization: `Bearer ${editor.token}` } });
    expect(media.status).toBe(404);
  });
});
