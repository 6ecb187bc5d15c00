import { describe, expect, it } from "vitest";
import { ReferralInput, ShareMessagesRequest } from "../../shared/referrals.ts";
import {
  X_TEXT_MAX, defaultTexts, fitForX, isReferralCode, publicPath, referralFromQuery, resolveTexts, shareLinks, shareUrl, xWeight,
} from "../../shared/share.ts";

const BASE = "https://hameau.example/";
const campaign = { kind: "campaign", id: "6f1c2a9e-0000-4000-8000-000000000001" } as const;

describe("share links", () => {
  it("point to the public page with the code and the channel, or without a code", () => {
    expect(publicPath(campaign)).toBe("/c/6f1c2a9e-0000-4000-8000-000000000001");
    expect(publicPath({ kind: "village", id: "le hameau" })).toBe("/v/le%20hameau");
    expect(publicPath({ kind: "gift", id: "g1" })).toBe("/g/g1");
    expect(publicPath({ kind: "ngo", id: "ong" })).toBe("/n/ong");
    expect(publicPath({ kind: "fundraiser", id: "f1" })).toBe("/f/f1");
    expect(shareUrl(BASE, campaign, "Abc123XY", "whatsapp")).toBe(`https://hameau.example/c/${campaign.id}?r=Abc123XY&ch=whatsapp`);
    expect(shareUrl(BASE, campaign, null, "x")).toBe(`https://hameau.example/c/${campaign.id}`);
    // A malformed code is never put in a link.
    expect(shareUrl(BASE, campaign, "a&b=c", "x")).toBe(`https://hameau.example/c/${campaign.id}`);
  });

  it("codes are 4 to 16 ASCII letters or digits", () => {
    for (const ok of ["abcd", "A1b2C3d4E5f6G7h8", "0000"]) expect(isReferralCode(ok)).toBe(true);
    for (const bad of ["abc", "A1b2C3d4E5f6G7h8X", "abc-d", "abcé", "ab cd", "", null, 1234, "abcd\u0000"]) expect(isReferralCode(bad)).toBe(false);
  });

  it("read the referral from a query string; an unknown channel is a copied link", () => {
    expect(referralFromQuery("?r=Abc123XY&ch=x")).toEqual({ code: "Abc123XY", channel: "x" });
    expect(referralFromQuery("r=Abc123XY&ch=telegram")).toEqual({ code: "Abc123XY", channel: "copy" });
    expect(referralFromQuery("r=Abc123XY")).toEqual({ code: "Abc123XY", channel: "copy" });
    expect(referralFromQuery("r=ab&ch=x")).toBeNull();
    expect(referralFromQuery(new URLSearchParams({ r: "<script>", ch: "x" }))).toBeNull();
    expect(referralFromQuery("")).toBeNull();
  });
});

describe("channel messages", () => {
  const subject = { kind: "campaign", title: "Des puits & des chèvres", ngoName: "Eau Vive" } as const;
  const fr = defaultTexts(subject, "fr");
  const en = defaultTexts(subject, "en");

  it("have defaults in both languages naming the campaign and its NGO", () => {
    expect(fr.text).toContain("« Des puits & des chèvres » avec Eau Vive");
    expect(en.text).toContain('"Des puits & des chèvres" with Eau Vive');
    expect(fr.emailSubject).toMatch(/^Un cadeau pour/);
    expect(en.emailSubject).toMatch(/^A gift for/);
    expect(defaultTexts({ kind: "village", title: "Mon hameau", ngoName: "" }, "en").text).toContain("my village");
  });

  it("encode every channel: Facebook takes the link, X text and link, WhatsApp one text, e-mail RFC 6068", () => {
    const links = shareLinks(BASE, campaign, "Code1234", fr);
    expect(links.facebook.href).toBe(`https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(`https://hameau.example/c/${campaign.id}?r=Code1234&ch=facebook`)}`);
    const x = new URL(links.x.href);
    expect(x.origin + x.pathname).toBe("https://x.com/intent/post");
    expect(x.searchParams.get("text")).toBe(fr.x);
    expect(x.searchParams.get("url")).toBe(`https://hameau.example/c/${campaign.id}?r=Code1234&ch=x`);
    const wa = new URL(links.whatsapp.href);
    expect(wa.searchParams.get("text")).toBe(`${fr.whatsapp} https://hameau.example/c/${campaign.id}?r=Code1234&ch=whatsapp`);
    // mailto: spaces as %20 (never "+"), line breaks as CRLF, "&" encoded so the body is not cut.
    expect(links.email.href).toMatch(/^mailto:\?subject=Un%20cadeau%20pour%20%C2%AB%20Des%20puits%20%26%20des%20ch%C3%A8vres%20%C2%BB%20%3F&body=/);
    expect(links.email.href).not.toContain("+");
    expect(links.email.href).toContain("%0D%0A");
    const body = decodeURIComponent(links.email.href.split("&body=")[1]!);
    expect(body.endsWith(`https://hameau.example/c/${campaign.id}?r=Code1234&ch=email`)).toBe(true);
    expect(links.copy.href).toBe(`https://hameau.example/c/${campaign.id}?r=Code1234&ch=copy`);
    expect(links.native.url).toBe(`https://hameau.example/c/${campaign.id}?r=Code1234&ch=native`);
  });

  it("keep X within 280 with the link counted as 23, CJK and emoji counting double", () => {
    expect(xWeight("abc")).toBe(3);
    expect(xWeight("山羊")).toBe(4);
    expect(xWeight("🐐")).toBe(2);
    expect(xWeight("« é — »")).toBe(7);
    const long = "Aidez-nous ! ".repeat(40);
    const fitted = fitForX(long);
    expect(xWeight(fitted)).toBeLessThanOrEqual(X_TEXT_MAX);
    expect(fitted.endsWith("…")).toBe(true);
    expect(xWeight(fitForX("山".repeat(200)))).toBeLessThanOrEqual(X_TEXT_MAX);
    expect(fitForX("court")).toBe("court");
    const links = shareLinks(BASE, campaign, "Code1234", { ...en, x: long });
    expect(xWeight(new URL(links.x.href).searchParams.get("text")!) + 1 + 23).toBeLessThanOrEqual(280);
  });

  it("take the NGO's own texts where written, the general text for a channel without one, else the defaults", () => {
    const mixed = resolveTexts({ text: "Rejoins-moi !", x: "", whatsapp: "  ", emailSubject: "Objet", emailBody: "" }, fr);
    expect(mixed).toEqual({ text: "Rejoins-moi !", x: "Rejoins-moi !", whatsapp: "Rejoins-moi !", emailSubject: "Objet", emailBody: "Rejoins-moi !" });
    expect(resolveTexts(undefined, en)).toEqual(en);
    expect(resolveTexts({ x: "Only X" }, en)).toEqual({ ...en, x: "Only X" });
  });
});

describe("what the NGO may write, and what a checkout may carry", () => {
  it("accepts texts in both languages, empty ones keeping the defaults", () => {
    const ok = ShareMessagesRequest.safeParse({ fr: { text: "  Rejoins-moi\nvite  " }, en: {} });
    expect(ok.success).toBe(true);
    expect(ok.data?.fr).toEqual({ text: "Rejoins-moi\nvite", x: "", whatsapp: "", emailSubject: "", emailBody: "" });
    expect(ShareMessagesRequest.safeParse({}).success).toBe(true);
  });

  it("refuses with a message naming the language and the field", () => {
    const issues = (body: unknown) => ShareMessagesRequest.safeParse(body).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ fr: { x: "a".repeat(257) } })).toEqual(["fr.x: the French X message is too long for X: 257 of 256 characters (the link takes the rest of 280)"]);
    expect(issues({ en: { x: "🐐".repeat(129) } })[0]).toMatch(/English X message is too long for X: 258 of 256/);
    expect(issues({ fr: { x: "a".repeat(256) } })).toEqual([]);
    expect(issues({ en: { emailSubject: "two\nlines" } })).toEqual(["en.emailSubject: the English e-mail subject cannot hold control characters"]);
    expect(issues({ en: { text: "x\u202e" } })[0]).toMatch(/bidirectional/);
    expect(issues({ fr: { whatsapp: "a".repeat(1001) } })).toEqual(["fr.whatsapp: the French WhatsApp message has at most 1000 characters"]);
    expect(issues({ fr: { text: 3 } })).toEqual(["fr.text: the French message must be text"]);
    expect(issues({ de: {} })).toEqual([": unknown field: de"]);
    expect(issues({ fr: "x" })).toEqual(["fr: fr must be an object of texts (text, x, whatsapp, emailSubject, emailBody)"]);
    expect(issues({ fr: { facebook: "x" } })).toEqual(["fr: unknown field: facebook"]);
  });

  it("a malformed referral is ignored, never a refusal", () => {
    expect(ReferralInput.parse({ code: "Abcd1234", channel: "email" })).toEqual({ code: "Abcd1234", channel: "email" });
    expect(ReferralInput.parse({ code: "Abcd1234", channel: "pigeon" })).toEqual({ code: "Abcd1234", channel: "copy" });
    for (const bad of [undefined, null, "Abcd1234", { code: "ab" }, { code: "x".repeat(100) }, { code: "Abcd-1234" }, [1], { channel: "x" }]) {
      expect(ReferralInput.parse(bad)).toBeNull();
    }
  });
});
