// @both-databases: every public page's 404 rules.
/**
 * The public pages on the real server: each page answers 200 with its meta
 * tags (parsed), valid HTML (html-validate), and an og:image that is a PNG of
 * 1200×630; the language from ?lang= then Accept-Language; the card cached
 * by content version (ETag, 304) and changed when progress moves; referral
 * parameters carried into the Give link; and every 404 rule, for pages and
 * cards alike: unknown and malformed ids, drafts, NGOs not approved,
 * private villages.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import type { CampaignView, CreateCampaignRequest } from "../../shared/campaigns.ts";
import { campaigns, villages } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { gifting } from "../support/gifting.ts";
import { htmlProblems, parsePage, pngSize, type ParsedPage } from "../support/html-pages.ts";
import { addNgoMember, createNgoWithGift, demoNgoId } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
const g = gifting(() => server, () => catalog);
let ngoId: string;
let editor: SessionResponse;
let running: CampaignView;
let draft: CampaignView;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const unknown = "11111111-2222-4333-8444-555555555555";

beforeAll(async () => {
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  ngoId = await demoNgoId(server);
  editor = await signUpAccount(server, "PagesEditor");
  await addNgoMember(server, ngoId, editor.player.id, "editor");
  running = await createCampaign({ titleFr: "Des chèvres <pour> le Burkina", titleEn: "Goats <for> Burkina Faso" }, true);
  draft = await createCampaign({ titleFr: "Brouillon", titleEn: "Draft" }, false);
});
afterAll(async () => {
  await server?.stop();
});

async function createCampaign(over: Partial<CreateCampaignRequest>, publish: boolean): Promise<CampaignView> {
  const body: CreateCampaignRequest = {
    titleFr: "Campagne", titleEn: "Campaign", descriptionFr: "Chaque chèvre compte.\n\nMerci & bravo.", descriptionEn: "Every goat counts.\n\nThanks & well done.",
    goalCents: 10_000, startsAt: iso(Date.now() - HOUR), endsAt: iso(Date.now() + 5 * 24 * HOUR), giftIds: [g.gift("chevre").id, g.gift("poules").id], ...over,
  };
  const made = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns`, { token: editor.token, body });
  expect(made.status).toBe(201);
  if (!publish) return made.body;
  const res = await server.api<CampaignView>(`/api/ngos/${ngoId}/campaigns/${made.body.id}/publish`, { method: "POST", token: editor.token });
  expect(res.status).toBe(200);
  return res.body;
}

async function give(lines: Array<[string, number]>): Promise<void> {
  const donor = await server.guest();
  const checkout = await g.checkout(donor, lines);
  expect(checkout.status).toBe(201);
  await g.pay(checkout.body);
}

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(server.url + path, { headers, redirect: "manual" });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

async function getPng(url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url, { headers, redirect: "manual" });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** The og:image URL of a page, fetched from this server (its origin is the configured public URL). */
const local = (absolute: string) => server.url + new URL(absolute).pathname + new URL(absolute).search;

/** A page answered 200 as valid HTML with every share tag, and its og:image a 1200×630 PNG. */
async function sharedPage(path: string, lang: "fr" | "en"): Promise<ParsedPage> {
  const res = await get(path, { "accept-language": lang === "fr" ? "fr-FR,fr;q=0.9" : "en-GB,en;q=0.9" });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/);
  expect(await htmlProblems(res.body)).toEqual([]);
  const page = await parsePage(res.body);
  expect(page.lang).toBe(lang);
  const pagePath = path.replace(/\?.*$/, "");
  expect(page.title.length).toBeGreaterThan(0);
  for (const name of ["description", "og:title", "og:description", "og:url", "og:image", "og:image:alt", "og:type", "og:locale", "twitter:title", "twitter:description", "twitter:image"]) {
    expect(page.meta.get(name), name).toBeTruthy();
  }
  expect(page.meta.get("og:image:width")).toBe("1200");
  expect(page.meta.get("og:image:height")).toBe("630");
  expect(page.meta.get("twitter:card")).toBe("summary_large_image");
  expect(page.meta.get("og:locale")).toBe(lang === "fr" ? "fr_FR" : "en_GB");
  expect(page.all("og:locale:alternate")).toEqual([lang === "fr" ? "en_GB" : "fr_FR"]);
  expect(new URL(page.links.get("canonical")!).pathname).toBe(pagePath);
  expect(new URL(page.links.get("canonical")!).searchParams.get("lang")).toBe(lang);
  expect(page.meta.get("og:url")).toBe(page.links.get("canonical"));
  expect(new URL(page.links.get("alternate:fr")!).searchParams.get("lang")).toBe("fr");
  expect(new URL(page.links.get("alternate:en")!).searchParams.get("lang")).toBe("en");
  expect(new URL(page.links.get("alternate:x-default")!).pathname).toBe(pagePath);
  const image = await getPng(local(page.meta.get("og:image")!));
  expect(image.status).toBe(200);
  expect(image.headers.get("content-type")).toBe("image/png");
  expect(image.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  expect(pngSize(image.bytes)).toEqual({ width: 1200, height: 630 });
  return page;
}

async function expectNotFound(path: string): Promise<void> {
  const res = await get(path);
  expect(res.status, path).toBe(404);
  expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
  expect(await htmlProblems(res.body)).toEqual([]);
  const page = await parsePage(res.body);
  expect(page.meta.get("robots")).toBe("noindex");
  expect(page.meta.has("og:image")).toBe(false);
}

describe("the campaign page", () => {
  // The first card of the process reads the fonts: slow on a busy machine.
  it("answers valid HTML with its share tags and a 1200×630 PNG card, in French and in English", { timeout: 60_000 }, async () => {
    await give([["chevre", 2]]);
    const fr = await sharedPage(`/c/${running.id}`, "fr");
    expect(fr.text("h1")).toBe("Des chèvres <pour> le Burkina");
    expect(fr.meta.get("og:title")).toBe("Des chèvres <pour> le Burkina");
    expect(fr.text('[data-live="percent"]')).toMatch(/^\d+ %$/);
    expect(fr.text(".by")).toContain("Semences Solidaires");
    expect(fr.text(".description")).toContain("Merci & bravo.");
    const en = await sharedPage(`/c/${running.id}`, "en");
    expect(en.text("h1")).toBe("Goats <for> Burkina Faso");
    expect(en.text(".deadline")).toMatch(/^Ends on .+ · 5 days left$/);
  });

  it("server-renders the live bar in the live markup contract, with the live script", async () => {
    const res = await get(`/c/${running.id}?lang=en`);
    const page = await parsePage(res.body);
    const raised = page.text('[data-live="raised"]');
    expect(page.attr("[data-campaign-live]", "data-campaign-live")).toBe(running.id);
    for (const key of ["bar", "raised", "goal", "percent", "donors", "matched"]) expect(page.root.querySelector(`[data-campaign-live] [data-live="${key}"]`), key).toBeTruthy();
    expect(page.attr('[data-live="bar"]', "style")).toMatch(/^width: \d+%$/);
    expect(page.text('[data-live="goal"]')).toBe("€100");
    expect(raised).toMatch(/^€\d+/);
    expect(page.text('[data-live="donors"]')).toMatch(/^\d+$/);
    expect(page.root.querySelector('script[src="/embed/live.js"]')?.hasAttribute("defer")).toBe(true);
  });

  it("links each gift to its page, and Give into the game with the referral of the link it was opened from", async () => {
    const page = await parsePage((await get(`/c/${running.id}?lang=fr&r=Ab12cd34&ch=whatsapp`)).body);
    const give = new URL(page.attr(".give a", "href")!, server.url);
    expect(give.pathname).toBe("/");
    expect(Object.fromEntries(give.searchParams)).toEqual({ campaign: running.id, r: "Ab12cd34", ch: "whatsapp" });
    const giftLinks = page.root.querySelectorAll(".gift-list a").map((a) => a.getAttributeValue("href"));
    expect(giftLinks.sort()).toEqual([`/g/${g.gift("chevre").id}`, `/g/${g.gift("poules").id}`].sort());
    // The canonical URL never carries a referral.
    expect(page.links.get("canonical")).not.toContain("Ab12cd34");
    // Malformed referral parameters are dropped, never copied into a link.
    const bad = await parsePage((await get(`/c/${running.id}?r=%3Cscript%3E&ch=myspace`)).body);
    expect(Object.fromEntries(new URL(bad.attr(".give a", "href")!, server.url).searchParams)).toEqual({ campaign: running.id });
  });

  it("caches the card by content version (ETag, 304) and draws a new one when progress moves", async () => {
    const before = await parsePage((await get(`/c/${running.id}?lang=fr`)).body);
    const first = await getPng(local(before.meta.get("og:image")!));
    expect(first.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await getPng(local(before.meta.get("og:image")!), { "if-none-match": etag });
    expect(again.status).toBe(304);
    await give([["poules", 1]]);
    const after = await parsePage((await get(`/c/${running.id}?lang=fr`)).body);
    expect(after.meta.get("og:image")).not.toBe(before.meta.get("og:image"));
    const redrawn = await getPng(local(after.meta.get("og:image")!), { "if-none-match": etag });
    expect(redrawn.status).toBe(200);
    expect(redrawn.headers.get("etag")).not.toBe(etag);
    expect(redrawn.bytes.equals(first.bytes)).toBe(false);
  });
});

describe("the NGO, gift and village pages", () => {
  it("an approved NGO by slug (canonical) or id, with its running campaign and its gifts", async () => {
    const fr = await sharedPage("/n/semences-solidaires", "fr");
    expect(fr.text("h1")).toBe("Semences Solidaires (démo)");
    expect(fr.root.querySelectorAll(".campaign-list a").map((a) => a.getAttributeValue("href"))).toContain(`/c/${running.id}`);
    expect(fr.root.querySelector(`[data-campaign-live="${running.id}"] [data-live="bar"]`)).toBeTruthy();
    expect(fr.root.querySelectorAll(".gift-list a").map((a) => a.getAttributeValue("href"))).toContain(`/g/${g.gift("chevre").id}`);
    await sharedPage("/n/semences-solidaires", "en");
    const byId = await parsePage((await get(`/n/${ngoId}`)).body);
    expect(new URL(byId.links.get("canonical")!).pathname).toBe("/n/semences-solidaires");
    expect(byId.text("h1")).toBe("Semences Solidaires (démo)");
  });

  it("a gift: name, price, impact, its NGO, and Give into the shop with the referral", async () => {
    const chevre = g.gift("chevre");
    const en = await sharedPage(`/g/${chevre.id}`, "en");
    expect(en.text("h1")).toBe(chevre.name.en);
    expect(en.text(".impact")).toContain(chevre.impact.en);
    expect(en.attr(".by a", "href")).toBe("/n/semences-solidaires");
    const fr = await sharedPage(`/g/${chevre.id}`, "fr");
    expect(fr.text(".price")).toBe("35 €");
    const withReferral = await parsePage((await get(`/g/${chevre.id}?r=Zz99&ch=facebook`)).body);
    expect(Object.fromEntries(new URL(withReferral.attr(".give a", "href")!, server.url).searchParams)).toEqual({ gift: chevre.id, r: "Zz99", ch: "facebook" });
  });

  it("a public village: its name and what stands in it, never an amount", async () => {
    const owner = await server.guest();
    expect((await server.api("/api/account/settings", { method: "PATCH", token: owner.token, body: { villageVisibility: "public" } })).status).toBe(200);
    const checkout = await g.checkout(owner, [["chevre", 2], ["poules", 1]]);
    expect(checkout.status).toBe(201);
    await g.pay(checkout.body);
    const [village] = await g.db().select({ name: villages.name }).from(villages).where(eq(villages.id, owner.villageId));
    const en = await sharedPage(`/v/${owner.villageId}`, "en");
    expect(en.text("h1")).toBe(`${village!.name}’s village`);
    const items = en.root.querySelectorAll(".gifts .gift-name").map((e) => e.textContent.replace(/\s+/g, " ").trim());
    expect(items).toEqual([`${g.gift("chevre").name.en} × 2`, g.gift("poules").name.en]);
    const fr = await sharedPage(`/v/${owner.villageId}`, "fr");
    expect(fr.text("h1")).toBe(`Le village de ${village!.name}`);
    for (const page of [en, fr]) {
      const text = page.text("main") + page.meta.get("description") + page.meta.get("og:image:alt");
      expect(text).not.toMatch(/€|\bEUR\b/);
    }
  });
});

describe("the language of a page", () => {
  const langOf = async (path: string, acceptLanguage?: string) =>
    (await parsePage((await get(path, acceptLanguage ? { "accept-language": acceptLanguage } : {})).body)).lang;

  it("is ?lang= first, then Accept-Language by quality, then French", async () => {
    const path = `/c/${running.id}`;
    expect(await langOf(`${path}?lang=en`, "fr-FR,fr;q=0.9")).toBe("en");
    expect(await langOf(`${path}?lang=fr`, "en-US,en;q=0.9")).toBe("fr");
    expect(await langOf(path, "en-US,en;q=0.9")).toBe("en");
    expect(await langOf(path, "de-DE,en;q=0.5,fr;q=0.8")).toBe("fr");
    expect(await langOf(path, "de-DE")).toBe("fr");
    expect(await langOf(path)).toBe("fr");
    expect(await langOf(`${path}?lang=xx`, "en")).toBe("en");
    expect(await langOf(`${path}?lang=fr&lang=en`, "en")).toBe("en");
  });
});

describe("what is not public is a 404 page, and so is its card", () => {
  it("a draft campaign, a pending NGO's campaign, an unknown or malformed id", async () => {
    const pending = await createNgoWithGift(server, "pending");
    const [hidden] = await g.db().insert(campaigns).values({
      ngoId: pending.ngoId, titleFr: "Cachée", titleEn: "Hidden", goalCents: 1000, startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR),
      publishedAt: new Date(),
    }).returning({ id: campaigns.id });
    for (const id of [draft.id, hidden!.id, unknown, "not-an-id", "x".repeat(3000), "%E2%80%AE", "..%2F..%2Fetc"]) {
      await expectNotFound(`/c/${id}`);
      await expectNotFound(`/c/${id}/card.png`);
    }
    // A draft stays hidden after its NGO's other campaigns are seen.
    expect((await g.db().select().from(campaigns).where(eq(campaigns.id, draft.id)))[0]!.publishedAt).toBeNull();
  });

  it("an NGO not approved, its gifts, unknown and malformed NGO and gift ids", async () => {
    const pending = await createNgoWithGift(server, "pending");
    const rejected = await createNgoWithGift(server, "rejected");
    for (const path of [
      `/n/${pending.slug}`, `/n/${pending.ngoId}`, `/n/${rejected.slug}`, `/n/${rejected.ngoId}`, `/g/${pending.giftId}`, `/g/${rejected.giftId}`,
      "/n/no-such-ngo", `/n/${unknown}`, `/n/${"a".repeat(300)}`, "/n/-dash", "/n/semences%20solidaires", `/g/${unknown}`, "/g/chevre", `/g/${"9".repeat(3000)}`,
    ]) {
      await expectNotFound(path);
      await expectNotFound(`${path}/card.png`);
    }
  });

  it("a village not made public, one of a deleted account, an unknown or malformed id", async () => {
    const friendsOnly = await server.guest();
    const gone = await server.guest();
    expect((await server.api("/api/account/settings", { method: "PATCH", token: gone.token, body: { villageVisibility: "public" } })).status).toBe(200);
    expect((await get(`/v/${gone.villageId}`)).status).toBe(200);
    expect((await server.api("/api/me", { method: "DELETE", token: gone.token, body: { confirm: "DELETE" } })).status).toBe(204);
    for (const path of [`/v/${friendsOnly.villageId}`, `/v/${gone.villageId}`, `/v/${unknown}`, `/v/${friendsOnly.player.id}`, "/v/nope", `/v/${"v".repeat(3000)}`]) {
      await expectNotFound(path);
      await expectNotFound(`${path}/card.png`);
    }
  });

  it("a NUL byte in the address is refused before any page (400, never 5xx)", async () => {
    for (const path of [`/c/%00`, `/c/${running.id}%00`, `/c/${running.id}/card.png%00`]) {
      expect((await get(path)).status).toBe(400);
    }
  });
});
