/**
 * The public pages' pure rules: escaping in the HTML templates, the page
 * language (?lang=, then Accept-Language, then French), referral parameters
 * carried into Give links, the share tags, the card cache, and card text
 * wrapping.
 */
import { describe, expect, it } from "vitest";
import { LruCache, cardVersion } from "../../server/cards/card-cache.ts";
import { campaignCardSvg, villageCardSvg } from "../../server/cards/card-svg.ts";
import { fitLine, measure, wrapLines } from "../../server/cards/card-text.ts";
import { villageCard } from "../../server/pages/share-cards.ts";
import { giveCampaignLink, giveGiftLink, referralParams } from "../../server/pages/give-links.ts";
import { escapeHtml, fillHtml, html, paragraphs, raw, summary } from "../../server/pages/html.ts";
import { metaTags } from "../../server/pages/page-document.ts";
import { acceptedLocale, pageLocale, queryLocale } from "../../server/pages/page-language.ts";
import { count } from "../../server/pages/page-strings.ts";

describe("html templates", () => {
  it("escape every interpolated value, in text and attributes", () => {
    const evil = `"><script>alert('x')</script>&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      "<p title=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>",
    );
    expect(escapeHtml("a & b < c")).toBe("a &amp; b &lt; c");
  });

  it("print nested templates and raw markup as they are, lists joined, nothing for null, undefined and false", () => {
    const items = ["a<", "b"].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}${raw("<br>")}`.value).toBe("<ul><li>a&lt;</li><li>b</li></ul>0<br>");
  });

  it("fill a translated template with markup, escaping the template's own text", () => {
    expect(fillHtml("{raised} <raised> of {goal}", { raised: html`<b>${"5 €"}</b>`, goal: "10 € & more" }).value)
      .toBe("<b>5 €</b> &lt;raised&gt; of 10 € &amp; more");
    expect(fillHtml("{unknown} stays", {}).value).toBe("{unknown} stays");
  });

  it("turn an NGO's text into paragraphs and line breaks, escaped", () => {
    expect(paragraphs("One <b>\nline\n\n\nTwo").value).toBe("<p>One &lt;b&gt;<br>line</p><p>Two</p>");
    expect(paragraphs("   ").value).toBe("");
  });

  it("summarise a long text at a word", () => {
    expect(summary("short  text\n here")).toBe("short text here");
    const long = "word ".repeat(100);
    const s = summary(long, 50);
    expect(s.length).toBeLessThanOrEqual(50);
    expect(s.endsWith("word…")).toBe(true);
  });
});

describe("the page language", () => {
  it("is ?lang= when it is fr or en", () => {
    expect(queryLocale("en")).toBe("en");
    expect(queryLocale(" FR ")).toBe("fr");
    expect(queryLocale("de")).toBeNull();
    expect(queryLocale(["fr", "en"])).toBeNull();
    expect(queryLocale(undefined)).toBeNull();
  });

  it("is otherwise the preferred of French and English in Accept-Language, by quality then order", () => {
    expect(acceptedLocale("en-GB,en;q=0.9,fr;q=0.8")).toBe("en");
    expect(acceptedLocale("de;q=1, fr-CA;q=0.4, en;q=0.7")).toBe("en");
    expect(acceptedLocale("fr-BE, en")).toBe("fr");
    expect(acceptedLocale("en;q=0, fr;q=0.1")).toBe("fr");
    expect(acceptedLocale("de-DE, es")).toBeNull();
    expect(acceptedLocale("en;q=abc")).toBeNull();
    expect(acceptedLocale("")).toBeNull();
    expect(acceptedLocale(undefined)).toBeNull();
    expect(acceptedLocale("en,".repeat(1000))).toBeNull();
  });

  it("falls back to French", () => {
    expect(pageLocale({ lang: "en" }, "fr")).toBe("en");
    expect(pageLocale({ lang: "xx" }, "en-US")).toBe("en");
    expect(pageLocale({}, "de")).toBe("fr");
    expect(pageLocale({}, undefined)).toBe("fr");
  });
});

describe("Give links", () => {
  it("carry r and ch only when they have the shared shapes", () => {
    expect(referralParams({ r: "Ab12", ch: "x" })).toEqual({ r: "Ab12", ch: "x" });
    expect(referralParams({ r: "abc", ch: "myspace" })).toEqual({});
    expect(referralParams({ r: "a".repeat(17) })).toEqual({});
    expect(referralParams({ r: "ab-cd" })).toEqual({});
    expect(referralParams({ r: ["abcd", "efgh"], ch: ["x"] })).toEqual({});
    expect(giveCampaignLink("c1", { r: "Ab12cd", ch: "email" })).toBe("/?campaign=c1&r=Ab12cd&ch=email");
    expect(giveCampaignLink("c1", {})).toBe("/?campaign=c1");
    expect(giveGiftLink("g1", { ch: "page" })).toBe("/?gift=g1&ch=page");
  });
});

describe("share tags", () => {
  it("name the card with its size, the canonical URL in the page's language and both alternates", () => {
    const tags = metaTags(
      { title: `A "quoted" <title>`, description: "D & d", path: "/c/abc", image: "/c/abc/card.png?lang=en&v=1", imageAlt: "alt" },
      { locale: "en", origin: "https://hameau.example" },
    ).value;
    expect(tags).toContain(`<title>A &quot;quoted&quot; &lt;title&gt; · Hameau</title>`);
    expect(tags).toContain(`<link rel="canonical" href="https://hameau.example/c/abc?lang=en">`);
    expect(tags).toContain(`<link rel="alternate" hreflang="fr" href="https://hameau.example/c/abc?lang=fr">`);
    expect(tags).toContain(`<link rel="alternate" hreflang="x-default" href="https://hameau.example/c/abc">`);
    expect(tags).toContain(`<meta property="og:image" content="https://hameau.example/c/abc/card.png?lang=en&amp;v=1">`);
    expect(tags).toContain(`<meta property="og:image:width" content="1200">`);
    expect(tags).toContain(`<meta property="og:image:height" content="630">`);
    expect(tags).toContain(`<meta property="og:locale" content="en_GB">`);
    expect(tags).toContain(`<meta property="og:locale:alternate" content="fr_FR">`);
    expect(tags).toContain(`<meta name="twitter:card" content="summary_large_image">`);
  });

  it("count in each language's plural rule", () => {
    const forms = ["{n} donateur", "{n} donateurs"] as const;
    expect(count("fr", forms, 0)).toBe("0 donateur");
    expect(count("fr", forms, 1)).toBe("1 donateur");
    expect(count("fr", forms, 1200)).toBe("1 200 donateurs");
    expect(count("en", ["{n} donor", "{n} donors"], 0)).toBe("0 donors");
    expect(count("en", ["{n} donor", "{n} donors"], 1)).toBe("1 donor");
  });
});

describe("the card cache", () => {
  it("keeps the most recently used cards up to its size", () => {
    const cache = new LruCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.has("b")).toBe(false);
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("versions a card by everything drawn on it", () => {
    const a = cardVersion("campaign", { percent: 5, title: "T" });
    expect(cardVersion("campaign", { percent: 5, title: "T" })).toBe(a);
    expect(cardVersion("campaign", { percent: 6, title: "T" })).not.toBe(a);
    expect(cardVersion("village", { percent: 5, title: "T" })).not.toBe(a);
    expect(a).toMatch(/^[\w-]{16}$/);
  });
});

describe("card text", () => {
  it("wraps at spaces within the width and cuts what is left with an ellipsis", () => {
    const text = "Des chèvres pour le Burkina Faso avant la saison sèche, et des poules pour chaque famille du village";
    const lines = wrapLines(text, 40, "bold", 500, 2);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(measure(line, 40, "bold")).toBeLessThanOrEqual(500);
    expect(lines[1]!.endsWith("…")).toBe(true);
    expect(wrapLines("Short title", 40, "bold", 500, 2)).toEqual(["Short title"]);
    expect(wrapLines("", 40, "bold", 500, 2)).toEqual([]);
  });

  it("cuts a word longer than a line, and strips control characters", () => {
    const [line] = wrapLines("x".repeat(200), 40, "regular", 300, 1);
    expect(line!.endsWith("…")).toBe(true);
    expect(measure(line!, 40, "regular")).toBeLessThanOrEqual(300);
    expect(wrapLines("a\u0000b\u202Ec\nd", 20, "regular", 500, 1)).toEqual(["a b c d"]);
    expect(fitLine("fits", 20, "regular", 500)).toBe("fits");
  });
});

describe("card images", () => {
  const sprites = () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');

  it("draw text as outlines (no <text>, so no font is needed where they are rendered) at 1200×630", () => {
    const svg = campaignCardSvg({
      title: "Des chèvres <pour> le Burkina", ngo: "par Semences & Co", raisedLine: "132 € collectés sur 2 500 €", percentText: "5 %", percent: 5,
      detail: "5 donateurs · plus que 9 jours", emergency: "Urgence", sprites: ["goat"], footer: "Hameau",
    }, sprites);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1200" height="630"/);
    expect(svg).not.toContain("<text");
    expect(svg).not.toContain("<pour>");
    expect(svg.match(/<path /g)!.length).toBeGreaterThan(5);
  });

  it("show a village's items and counts, and no amount", () => {
    const card = villageCard({ name: "Marie", items: [{ sprite: "goat", count: 2 }], gifts: 2, decorations: 1 }, "fr");
    expect(card).toMatchObject({ title: "Le village de Marie", detail: "2 cadeaux · Décorations : 1" });
    expect(JSON.stringify(card)).not.toMatch(/€|EUR/);
    expect(villageCardSvg(card, sprites)).not.toContain("<text");
  });
});
