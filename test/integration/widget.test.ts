/**
 * The live campaign feed and the embeddable widget on the real server: the
 * feed's first event and its update within a second of a TEST MODE payment
 * (and of a refund), one shared upstream per campaign, heartbeats, its 404
 * rules (unknown, draft, NGO not approved) and caps (429 too_many_streams
 * per address and in total), a stream ended cleanly on shutdown; the NGO's
 * declared sites (who may read and write them, bad origins refused with
 * nothing written) and the widget page: current values without JavaScript,
 * sizes and languages, its strict CSP with frame-ancestors from the declared
 * sites, no X-Frame-Options, no cookie, and its 404 rules.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignLiveSnapshot } from "../../shared/campaign-live.ts";
import type { CampaignView, CreateCampaignRequest } from "../../shared/campaigns.ts";
import type { EmbedSitesResponse } from "../../shared/embed.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import { loadConfig } from "../../server/config.ts";
import { orders } from "../../server/db/schema.ts";
import { checkLedger } from "../../server/payments/ledger-check.ts";
import { signUpAccount } from "../support/accounts.ts";
import { gifting } from "../support/gifting.ts";
import { addNgoMember, demoNgoId, insertNgoWithGift } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { dataOf, openSse, type SseStream } from "../support/sse.ts";
import { chargeObject, send, stripeEvent } from "../support/stripe-events.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let ngoId: string;
let editor: SessionResponse;
const streams: SseStream[] = [];

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Each test speaks from its own client address (TRUST_PROXY=loopback), so the per-address cap is the test's own. */
let lastAddress = 10;
const newAddress = () => `203.0.113.${lastAddress++}`;

beforeAll(async () => {
  server = await startTestServer({
    env: { TRUST_PROXY: "loopback", LIVE_STREAMS_PER_ADDRESS: "3", LIVE_STREAMS_TOTAL: "6" },
    liveHeartbeatMs: 300,
  });
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  editor = await signUpAccount(server, "Weditor");
  await addNgoMember(server, ngoId, editor.player.id, "editor");
});
// A failed test must not leave its streams holding slots for the next ones.
afterEach(() => {
  for (const s of streams) s.close();
});
let stopped = false;
afterAll(async () => {
  for (const s of streams) s.close();
  if (stopped) return;
  expect(await checkLedger(g.db())).toEqual([]);
  await server?.stop();
});

function draft(over: Partial<CreateCampaignRequest> = {}): CreateCampaignRequest {
  return {
    titleFr: "Des chèvres pour le Burkina", titleEn: "Goats for Burkina Faso", goalCents: 10_000,
    startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + 24 * HOUR), giftIds: [g.gift("chevre").id], ...over,
  };
}

async function campaign(opts: { publish?: boolean; ngo?: string; who?: SessionResponse; over?: Partial<CreateCampaignRequest> } = {}): Promise<CampaignView> {
  const who = opts.who ?? editor;
  const ngo = opts.ngo ?? ngoId;
  const created = await server.api<CampaignView>(`/api/ngos/${ngo}/campaigns`, { token: who.token, body: draft(opts.over) });
  expect(created.status).toBe(201);
  if (opts.publish === false) return created.body;
  const res = await server.api<CampaignView>(`/api/ngos/${ngo}/campaigns/${created.body.id}/publish`, { method: "POST", token: who.token });
  expect(res.status).toBe(200);
  return res.body;
}

async function live(campaignId: string, address = newAddress()): Promise<SseStream> {
  const s = await openSse(`${server.url}/api/campaigns/${campaignId}/live`, { "x-forwarded-for": address });
  streams.push(s);
  return s;
}

async function give(who: SessionResponse, lines: Array<[string, number]>) {
  const checkout = await g.checkout(who, lines);
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
  const [order] = await g.db().select().from(orders).where(eq(orders.id, checkout.body.orderId));
  expect(order!.status).toBe("paid");
  return { sessionId: order!.checkoutSessionId!, orderId: order!.id, totalCents: order!.totalCents, paymentIntentId: order!.paymentIntentId! };
}

describe("the live feed", () => {
  it("starts with the current progress and moves within a second of a payment, and of a refund", async () => {
    const c = await campaign();
    const s = await live(c.id);
    expect(s.status).toBe(200);
    expect(s.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(s.headers.get("cache-control")).toContain("no-cache");
    expect(s.headers.get("access-control-allow-origin")).toBe("*");
    const first = dataOf<CampaignLiveSnapshot>(await s.next(() => true));
    expect(first).toEqual({
      campaignId: c.id, currency: "EUR", raisedCents: 0, goalCents: 10_000, percent: 0, donors: 0, phase: "running", startsAt: c.startsAt, endsAt: c.endsAt,
    });
    expect(s.retry).toBe(5000);

    const donor = await server.guest();
    const paid = await give(donor, [["chevre", 1]]);
    const moved = dataOf<CampaignLiveSnapshot>(await s.next((e) => dataOf<CampaignLiveSnapshot>(e).raisedCents > 0, 1000));
    expect(moved).toMatchObject({ raisedCents: paid.totalCents, donors: 1, percent: Math.floor((paid.totalCents * 100) / 10_000) });

    const seen = s.events.length;
    expect((await send(server.url, stripeEvent("charge.refunded", chargeObject(paid, paid.totalCents)))).body.outcome).toBe("refunded");
    const back = dataOf<CampaignLiveSnapshot>(await s.next((e) => s.events.indexOf(e) >= seen && dataOf<CampaignLiveSnapshot>(e).raisedCents === 0, 1000));
    expect(back).toMatchObject({ raisedCents: 0, donors: 0, percent: 0 });
    s.close();
  });

  it("shares one upstream per campaign between its streams, sends heartbeats, and lets go when the last stream closes", async () => {
    const c = await campaign();
    const a = await live(c.id);
    const b = await live(c.id);
    await a.next(() => true);
    await b.next(() => true);
    const before = server.hameau.liveFeed.stats();
    expect(before.streams).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(a.comments).toContain("heartbeat"), { timeout: 2000 });
    a.close();
    b.close();
    await vi.waitFor(() => expect(server.hameau.liveFeed.stats()).toEqual({ upstreams: before.upstreams - 1, streams: before.streams - 2 }));
  });

  it("is a 404 for an unknown campaign, a draft, or a campaign of an NGO not approved", async () => {
    const unknown = await live("11111111-2222-4333-8444-555555555555");
    expect(unknown.status).toBe(404);
    expect((unknown.body as ApiErrorBody).error.code).toBe("not_found");
    expect((await live("not-an-id")).status).toBe(404);
    const draftOne = await campaign({ publish: false });
    expect((await live(draftOne.id)).status).toBe(404);

    const pending = await insertNgoWithGift(server, { name: "Pending NGO", projectName: "P", giftName: "Seau", priceCents: 900, status: "pending" });
    const pendingEditor = await signUpAccount(server, "Peditor");
    await addNgoMember(server, pending.ngoId, pendingEditor.player.id, "editor");
    const theirs = await campaign({ ngo: pending.ngoId, who: pendingEditor, over: { giftIds: [pending.giftId] } });
    expect(theirs.publishedAt).not.toBeNull();
    expect((await live(theirs.id)).status).toBe(404);
    await vi.waitFor(() => expect(server.hameau.liveFeed.stats().upstreams).toBe(0));
  });

  it("refuses streams past the cap per address and in total with 429 too_many_streams", async () => {
    const c = await campaign();
    const address = newAddress();
    const mine = [await live(c.id, address), await live(c.id, address), await live(c.id, address)];
    for (const s of mine) expect(s.status).toBe(200);
    const over = await live(c.id, address);
    expect(over.status).toBe(429);
    expect((over.body as ApiErrorBody).error.code).toBe("too_many_streams");
    // Another address still gets in, until the process's total (6) is reached.
    const others = [await live(c.id), await live(c.id), await live(c.id)];
    for (const s of others) expect(s.status).toBe(200);
    const full = await live(c.id);
    expect(full.status).toBe(429);
    expect((full.body as ApiErrorBody).error.code).toBe("too_many_streams");
    // Closing streams frees their slots.
    mine[0]!.close();
    await vi.waitFor(async () => {
      const again = await live(c.id, address);
      again.close();
      expect(again.status).toBe(200);
    });
    for (const s of [...mine, ...others]) s.close();
    await vi.waitFor(() => expect(server.hameau.liveFeed.stats().streams).toBe(0));
  });
});

describe("the NGO's declared sites", () => {
  const sites = (id = ngoId) => `/api/ngos/${id}/embed-sites`;
  const put = (who: SessionResponse | null, body: unknown, id = ngoId) =>
    server.api<EmbedSitesResponse & ApiErrorBody>(sites(id), { method: "PUT", body, ...(who ? { token: who.token } : {}) });

  it("are read by members, replaced by editors, normalised; outsiders do not even see the NGO", async () => {
    const viewer = await signUpAccount(server, "Wviewer");
    const outsider = await signUpAccount(server, "Woutsider");
    await addNgoMember(server, ngoId, viewer.player.id, "viewer");
    const saved = await put(editor, { sites: ["https://Asso.Example.org/dons?x=1#top", "www.example.net", "https://asso.example.org", "https://shop.example.org:8443/"] });
    expect(saved.status).toBe(200);
    expect(saved.body.sites).toEqual(["https://asso.example.org", "https://shop.example.org:8443", "https://www.example.net"]);
    const read = await server.api<EmbedSitesResponse>(sites(), { token: viewer.token });
    expect(read.status).toBe(200);
    expect(read.body.sites).toEqual(saved.body.sites);

    const byViewer = await put(viewer, { sites: [] });
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error.code).toBe("forbidden");
    expect((await put(null, { sites: [] })).status).toBe(401);
    expect((await server.api(sites())).status).toBe(401);
    expect((await put(outsider, { sites: [] })).status).toBe(404);
    expect((await server.api(sites(), { token: outsider.token })).status).toBe(404);
    // Another NGO's editor is an outsider here.
    const other = await insertNgoWithGift(server, { name: "Other NGO", projectName: "P", giftName: "Pelle", priceCents: 700 });
    const otherEditor = await signUpAccount(server, "Wother");
    await addNgoMember(server, other.ngoId, otherEditor.player.id, "editor");
    expect((await put(otherEditor, { sites: [] })).status).toBe(404);
    expect((await put(otherEditor, { sites: ["https://theirs.example.org"] }, other.ngoId)).status).toBe(200);
    expect((await server.api<EmbedSitesResponse>(sites(), { token: viewer.token })).body.sites).toEqual(saved.body.sites);
  });

  it("refuses anything but an https origin with 400 origin_invalid, naming the field, and writes nothing", async () => {
    const before = (await server.api<EmbedSitesResponse>(sites(), { token: editor.token })).body.sites;
    for (const bad of [
      "http://example.org", "ftp://example.org", "https://user:secret@example.org", "https://*.example.org", "javascript:alert(1)",
      "https://exa mple.org", "not a site", "https://intranet", "data:text/html,x", "",
    ]) {
      const res = await put(editor, { sites: ["https://fine.example.org", bad] });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe("origin_invalid");
      expect(Object.keys(res.body.error.fields ?? {}), bad).toEqual(["sites.1"]);
    }
    const tooMany = await put(editor, { sites: Array.from({ length: 21 }, (_, i) => `https://s${i}.example.org`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe("bad_request");
    for (const body of [{}, { sites: "https://example.org" }, { sites: [1] }, { sites: [], extra: true }]) {
      expect((await put(editor, body)).status).toBe(400);
    }
    expect((await server.api<EmbedSitesResponse>(sites(), { token: editor.token })).body.sites).toEqual(before);
  });

  it("take turns when twenty saves come at once: every one answers 200 and the last list stands whole", async () => {
    const lists = Array.from({ length: 20 }, (_, i) => [`https://a${i % 3}.example.org`, "https://both.example.org"]);
    const answers = await Promise.all(lists.map((list) => put(editor, { sites: list })));
    expect(answers.map((a) => a.status)).toEqual(lists.map(() => 200));
    const stored = (await server.api<EmbedSitesResponse>(sites(), { token: editor.token })).body.sites;
    expect(answers.map((a) => a.body.sites)).toContainEqual(stored);
    expect(stored).toHaveLength(2);
  });
});

describe("the widget page", () => {
  const page = (id: string, query = "", headers: Record<string, string> = {}) => fetch(`${server.url}/embed/campaigns/${id}${query}`, { headers });

  it("shows the current values without JavaScript, with a Give button opening the game in a new tab", async () => {
    const c = await campaign({ over: { titleFr: "Des puits au Sahel", titleEn: "Wells in the Sahel", goalCents: 20_000 } });
    const donor = await server.guest();
    const paid = await give(donor, [["chevre", 1]]);
    const res = await page(c.id, "?size=large&lang=fr&r=abcd1234");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("set-cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("Des puits au Sahel");
    expect(html).toContain('<body class="size-large">');
    expect(html).toContain(`data-campaign-live="${c.id}"`);
    const pct = Math.floor((paid.totalCents * 100) / 20_000);
    expect(html).toContain(`data-live="bar" x="0" y="0" width="${pct}%"`);
    expect(html).toMatch(new RegExp(`data-live="percent">${pct} %<`));
    expect(html).toMatch(/data-live="raised">[\d ,]+ €</);
    expect(html).toMatch(/data-live="donors">1</);
    expect(html).toContain(`href="/?campaign=${c.id}&amp;r=abcd1234&amp;ch=widget" target="_blank" rel="noopener"`);
    expect(html).toContain('<script src="/embed/live.js" defer></script>');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/\sstyle=|\son\w+=/);

    const en = await (await page(c.id, "?size=small", { "accept-language": "de-DE,en;q=0.8,fr;q=0.5" })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("Wells in the Sahel");
    expect(en).toContain('<body class="size-small">');
    expect(en).toContain(`href="/?campaign=${c.id}&amp;ch=widget"`);
    expect(await (await page(c.id, "?size=huge&r=%3Cx%3E", { "accept-language": "fr-CH" })).text()).toMatch(/<html lang="fr">[\s\S]*size-medium[\s\S]*campaign=[^"]*&amp;ch=widget"/);
  });

  it("has a strict CSP whose frame-ancestors are Hameau and the NGO's declared sites, and no X-Frame-Options", async () => {
    const c = await campaign();
    await server.api(`/api/ngos/${ngoId}/embed-sites`, { method: "PUT", token: editor.token, body: { sites: ["https://asso.example.org", "https://blog.example.net"] } });
    const res = await page(c.id);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(" ")]));
    expect(directives).toMatchObject({
      "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "connect-src": "'self'", "object-src": "'none'", "base-uri": "'none'",
      "frame-ancestors": "'self' https://asso.example.org https://blog.example.net",
    });
    expect(csp).not.toContain("unsafe");
    expect(res.headers.get("x-frame-options")).toBeNull();
    // Everywhere else, helmet's defaults stand.
    const other = await fetch(`${server.url}/api/campaigns/${c.id}`);
    expect(other.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(other.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
    // Removing the sites takes them out of the page's list at once.
    await server.api(`/api/ngos/${ngoId}/embed-sites`, { method: "PUT", token: editor.token, body: { sites: [] } });
    expect((await page(c.id)).headers.get("content-security-policy")).toMatch(/frame-ancestors 'self'$/);
  });

  it("is a plain 'not available' page (404) for an unknown campaign, a draft or an NGO not approved", async () => {
    const draftOne = await campaign({ publish: false });
    const pending = await insertNgoWithGift(server, { name: "Pending Two", projectName: "P", giftName: "Bol", priceCents: 800, status: "pending" });
    const pendingEditor = await signUpAccount(server, "Peditor2");
    await addNgoMember(server, pending.ngoId, pendingEditor.player.id, "editor");
    const theirs = await campaign({ ngo: pending.ngoId, who: pendingEditor, over: { giftIds: [pending.giftId], titleFr: "Secret", titleEn: "Secret" } });
    for (const id of ["11111111-2222-4333-8444-555555555555", "nope", draftOne.id, theirs.id]) {
      const res = await page(id, "?lang=en");
      expect(res.status, id).toBe(404);
      const html = await res.text();
      expect(html).toContain("This campaign is not available.");
      expect(html).not.toContain("Secret");
      expect(html).not.toContain("Goats");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
  });
});

describe("the script", () => {
  const built = existsSync(path.join(loadConfig({ NODE_ENV: "test" }).clientDir, "embed", "live.js"));
  it.skipIf(!built)("/embed/live.js loads on any website: classic script, cross-origin resource policy, short cache", async () => {
    const res = await fetch(`${server.url}/embed/live.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const text = await res.text();
    expect(text.length).toBeLessThan(8000);
    expect(text).not.toMatch(/^\s*import |\bexport\s*\{/m);
    expect(text).toContain("data-campaign-live");
  });
});

describe("shutdown", () => {
  it("ends open streams cleanly when the server stops", async () => {
    const c = await campaign();
    const s = await live(c.id);
    await s.next(() => true);
    expect(await checkLedger(g.db())).toEqual([]);
    stopped = true;
    const stopping = server.stop();
    await Promise.race([s.ended, new Promise((_r, reject) => setTimeout(() => reject(new Error("stream still open")), 3000))]);
    await stopping;
  });
});
