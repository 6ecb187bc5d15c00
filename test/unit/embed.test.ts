/** The widget's pure rules: declared sites as origins, snippets, the page's language and CSP. */
import { describe, expect, it } from "vitest";
import { EMBED_HEIGHTS, embedSizeOf, embedUrl, iframeSnippet, normaliseOrigin, scriptSnippet } from "../../shared/embed.ts";
import { embedCsp, embedLang } from "../../server/http/embed-page.ts";
import { escapeHtml } from "../../server/http/embed-html.ts";

const id = "11111111-2222-4333-8444-555555555555";
const ok = (raw: string, opts = {}) => {
  const r = normaliseOrigin(raw, opts);
  return r.ok ? r.origin : `refused: ${r.message}`;
};

describe("declared sites", () => {
  it("become https origins: lower case, default port dropped, path, query and fragment dropped, bare hosts get https", () => {
    expect(ok("https://Asso.Example.ORG/")).toBe("https://asso.example.org");
    expect(ok("  https://asso.example.org:443/dons?x=1#a ")).toBe("https://asso.example.org");
    expect(ok("https://asso.example.org:8443")).toBe("https://asso.example.org:8443");
    expect(ok("asso.example.org")).toBe("https://asso.example.org");
    expect(ok("https://bücher.example")).toBe("https://xn--bcher-kva.example");
    expect(ok("https://192.0.2.10")).toBe("https://192.0.2.10");
  });

  it("refuses what is not an https site", () => {
    for (const bad of [
      "", "   ", "http://asso.example.org", "ftp://asso.example.org", "javascript:alert(1)", "data:text/html,hi", "https://user:pw@asso.example.org",
      "https://*.example.org", "https://exa mple.org", "https://intranet", "https://", "https://a_b.example.org", "https://asso.exa\nmple.org",
      "https://'self'", "https://a.example.org;script-src",
    ]) {
      expect(ok(bad), JSON.stringify(bad)).toMatch(/^refused: /);
    }
  });

  it("allows http on a loopback host only when asked (local testing)", () => {
    expect(ok("http://127.0.0.1:5173")).toMatch(/^refused/);
    expect(ok("http://127.0.0.1:5173", { loopbackHttp: true })).toBe("http://127.0.0.1:5173");
    expect(ok("http://localhost:8080/", { loopbackHttp: true })).toBe("http://localhost:8080");
    expect(ok("http://example.org", { loopbackHttp: true })).toMatch(/^refused/);
    expect(ok("https://localhost:8443")).toBe("https://localhost:8443");
  });
});

describe("snippets", () => {
  const base = "https://hameau.example.org";
  it("point the iframe at the widget page with its size and language, at the size's height", () => {
    expect(embedUrl({ base, campaignId: id, size: "small", lang: "en" })).toBe(`${base}/embed/campaigns/${id}?size=small&lang=en`);
    expect(embedUrl({ base, campaignId: id, size: "large", lang: null })).toBe(`${base}/embed/campaigns/${id}?size=large`);
    const snippet = iframeSnippet({ base, campaignId: id, size: "medium", lang: "fr", title: `Des "puits" & <eau>` });
    expect(snippet).toBe(`<iframe src="${base}/embed/campaigns/${id}?size=medium&amp;lang=fr" title="Des &quot;puits&quot; &amp; &lt;eau&gt;" `
      + `width="100%" height="${EMBED_HEIGHTS.medium}" style="border:0;max-width:520px" loading="lazy"></iframe>`);
  });

  it("give the script alternative with the markup contract", () => {
    const s = scriptSnippet({ base, campaignId: id, lang: "en" });
    expect(s).toContain(`<div data-campaign-live="${id}" lang="en">`);
    for (const field of ["bar", "raised", "goal", "percent", "donors", "matched"]) expect(s).toContain(`data-live="${field}"`);
    expect(s).toContain(`<script src="${base}/embed/live.js" async></script>`);
    expect(scriptSnippet({ base, campaignId: id, lang: null })).toContain('lang="fr"');
  });

  it("fall back to the medium size", () => {
    expect(embedSizeOf("small")).toBe("small");
    expect(embedSizeOf("huge")).toBe("medium");
    expect(embedSizeOf(["small"])).toBe("medium");
  });
});

describe("the widget page", () => {
  it("takes ?lang=, else the preferred of fr and en in Accept-Language, else French", () => {
    expect(embedLang("en", "fr-FR")).toBe("en");
    expect(embedLang(undefined, "fr-FR,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(embedLang(undefined, "de-DE,en;q=0.8,fr;q=0.5")).toBe("en");
    expect(embedLang(undefined, "en;q=0.2, fr;q=0.7")).toBe("fr");
    expect(embedLang(undefined, "en;q=0, fr;q=0")).toBe("fr");
    expect(embedLang(["en"], "de")).toBe("fr");
    expect(embedLang(undefined, undefined)).toBe("fr");
  });

  it("has a strict CSP; frame-ancestors lists only well-formed origins", () => {
    const csp = embedCsp(["https://a.example.org", "https://b.example.org;script-src *", "javascript:x"]);
    expect(csp).toBe("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
      + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://a.example.org");
    expect(embedCsp(null)).toMatch(/frame-ancestors \*$/);
  });

  it("escapes what it prints", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
