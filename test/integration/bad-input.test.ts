/**
 * Bad input at the door: a NUL byte, a broken character or a bidirectional
 * control in any text is a 400 with a code, never a 500; NGO texts refuse
 * right-to-left overrides and the other bidi controls; a signed body that is
 * not an event is 400 `webhook_payload_invalid`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import { signUpAccount } from "../support/accounts.ts";
import { addNgoMember, insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { deliver, sign } from "../support/stripe-events.ts";

type Refusal = { error: { code: string; message: string; fields?: Record<string, string> } };

let server: TestServer;
let admin: SessionResponse;
let ngo: { ngoId: string; projectId: string; giftId: string };
const later = "2031-01-01T00:00:00Z";

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUpAccount(server, "Bidi");
  ngo = await insertNgoWithGift(server, { name: "Bidi NGO", projectName: "Bidi project", giftName: "Bidi gift", priceCents: 500 });
  await addNgoMember(server, ngo.ngoId, admin.player.id, "admin");
});
afterAll(() => server?.stop());

const campaign = (over: Record<string, unknown> = {}) => ({
  titleFr: "Des puits", titleEn: "Wells", goalCents: 10_000, startsAt: "2026-01-01T00:00:00Z", endsAt: later, giftIds: [ngo.giftId], ...over,
});

describe("a NUL byte or a broken character", () => {
  it.each([
    ["a friend's name", "POST", "/api/friends/requests", () => ({ name: "Bob\u0000" })],
    ["a member's name", "POST", () => `/api/ngos/${ngo.ngoId}/members`, () => ({ name: "\u0000", role: "editor" })],
    ["a campaign title", "POST", () => `/api/ngos/${ngo.ngoId}/campaigns`, () => campaign({ titleFr: "Puits\u0000" })],
    ["a campaign description", "POST", () => `/api/ngos/${ngo.ngoId}/campaigns`, () => campaign({ descriptionEn: "a\u0000b" })],
    ["a key of the body", "POST", "/api/friends/requests", () => ({ name: "Bob", "x\u0000": 1 })],
    ["a lone surrogate", "POST", "/api/friends/requests", () => ({ name: "Bob\ud800" })],
  ] as const)("in %s is a 400 text_invalid", async (_what, method, path, body) => {
    const res = await server.api<Refusal>(typeof path === "string" ? path : path(), { method, token: admin.token, body: body() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("text_invalid");
  });

  it("in an address is a 400, on every route (the outbox, a path parameter, a query)", async () => {
    for (const path of ["/dev/mail?to=%00", "/dev/mail.json?to=%00", "/api/gifts/%00", "/api/feed?before=%00"]) {
      const res = await server.api<Refusal>(path, { token: admin.token });
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 400, code: "text_invalid" });
    }
    for (const path of ["/api/gifts/%E0%A4%A", "/api/gifts/%ED%A0%80", "/api/notifications?limit=%ED%A0%80"]) {
      const malformed = await server.api<Refusal>(path, { token: admin.token });
      expect({ path, status: malformed.status, code: typeof malformed.body.error.code }).toEqual({ path, status: 400, code: "string" });
    }
  });

  it("nested too deep, or read with an unknown charset, is a 4xx with a code", async () => {
    const deep = await server.api<Refusal>("/api/friends/requests", { token: admin.token, raw: "[".repeat(2000) + "]".repeat(2000), headers: { "content-type": "application/json" } });
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe("bad_request");
    const charset = await server.api<Refusal>("/api/friends/requests", { token: admin.token, raw: "{}", headers: { "content-type": "application/json; charset=klingon" } });
    expect(charset.status).toBe(415);
    expect(charset.body.error.code).toBe("bad_request");
  });
});

describe("bidirectional controls in NGO texts", () => {
  const RLO = "\u202e";
  it.each([
    ["a gift name", () => `/api/ngos/${ngo.ngoId}/gifts/${ngo.giftId}`, "PATCH", () => ({ nameEn: `Goat ${RLO}exe.jpg` }), "nameEn"],
    ["a project name", () => `/api/ngos/${ngo.ngoId}/projects/${ngo.projectId}`, "PATCH", () => ({ nameFr: `Puits\u2066x\u2069` }), "nameFr"],
    ["the NGO's name", () => `/api/ngos/${ngo.ngoId}/settings`, "PATCH", () => ({ name: `Semences ${RLO}` }), "name"],
    ["the NGO's purpose", () => `/api/ngos/${ngo.ngoId}/settings`, "PATCH", () => ({ purpose: `Wells\u200f` }), "purpose"],
    ["a campaign title", () => `/api/ngos/${ngo.ngoId}/campaigns`, "POST", () => campaign({ titleEn: `${RLO}sllew` }), "titleEn"],
    ["a campaign description", () => `/api/ngos/${ngo.ngoId}/campaigns`, "POST", () => campaign({ descriptionFr: `Texte\u202a` }), "descriptionFr"],
    ["an update's text", () => `/api/ngos/${ngo.ngoId}/updates`, "POST", () => ({ projectId: ngo.projectId, titleFr: "T", titleEn: "T", bodyFr: "B", bodyEn: `B${RLO}` }), "bodyEn"],
  ] as const)("are refused in %s (400, the field named)", async (_what, path, method, body, field) => {
    const res = await server.api<Refusal>(path(), { method, token: admin.token, body: body() });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.[field]).toMatch(/bidi/);
  });

  it("while Arabic, Hebrew and other scripts are welcome", async () => {
    const res = await server.api<{ nameEn: string }>(`/api/ngos/${ngo.ngoId}/gifts/${ngo.giftId}`, { method: "PATCH", token: admin.token, body: { nameEn: "ماعز · עז · 山羊 · Коза" } });
    expect(res.status).toBe(200);
    expect(res.body.nameEn).toBe("ماعز · עז · 山羊 · Коза");
  });
});

describe("the webhook", () => {
  it.each([["null", "null"], ["a number", "42"], ["a list", "[]"], ["a NUL in the id", JSON.stringify({ id: "evt_\u0000", type: "checkout.session.expired", data: { object: {} } })]])(
    "answers a signed %s with 400 webhook_payload_invalid",
    async (_what, payload) => {
      const res = await deliver(server.url, payload, sign(payload));
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("webhook_payload_invalid");
    },
  );
});
