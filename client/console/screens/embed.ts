/**
 * Widget: put a published campaign's live bar and Give button on the NGO's
 * own website. Pick the campaign, a size and a language; see the widget live
 * in a preview; copy the iframe snippet (or the script alternative, markup
 * kept live by /embed/live.js); and declare the websites allowed to frame it
 * (editors change the list, every member reads it).
 */
import { type EmbedSize, EMBED_HEIGHTS, EMBED_SIZES, embedUrl, iframeSnippet, scriptSnippet } from "../../../shared/embed.ts";
import type { CampaignView } from "../../../shared/campaigns.ts";
import type { Locale } from "../../../shared/money.ts";
import { errorText, locale, pick } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import { may, type NgoContext, type Screen } from "../context.ts";
import { ct } from "../i18n.ts";
import { button, empty, heading, problem } from "../view.ts";

export function embedScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "embed" });
  const canWrite = may(ctx, "editor");
  let campaigns: CampaignView[] | null = null;
  let sites: string[] = [];
  let failure: unknown = null;
  let chosen: string | undefined = ctx.sub;
  let size: EmbedSize = "medium";
  let lang: Locale | null = null;
  let sitesDraft: string | null = null;
  let sitesError: string | null = null;
  let saving = false;

  async function load(): Promise<void> {
    try {
      const [c, s] = await Promise.all([consoleApi.campaigns(ctx.token, ctx.ngo.id), consoleApi.embedSites(ctx.token, ctx.ngo.id)]);
      campaigns = c.campaigns.filter((x) => x.publishedAt !== null);
      sites = s.sites;
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
  }

  function current(): CampaignView | undefined {
    return campaigns?.find((c) => c.id === chosen) ?? campaigns?.find((c) => c.phase === "running") ?? campaigns?.[0];
  }

  async function copy(text: string, area: HTMLTextAreaElement): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      area.select();
      document.execCommand("copy");
    }
    ctx.toast.show(() => ct("embed.copied"), "success");
  }

  async function saveSites(text: string): Promise<void> {
    saving = true;
    render();
    try {
      const list = text.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
      sites = (await consoleApi.saveEmbedSites(ctx.token, ctx.ngo.id, { sites: list })).sites;
      sitesDraft = null;
      sitesError = null;
      ctx.toast.show(() => ct("embed.sitesSaved"), "success");
    } catch (err) {
      sitesDraft = text;
      if (err instanceof ApiError) {
        const field = Object.entries(err.fields ?? {})[0];
        const index = field ? Number(/^sites\.(\d+)$/.exec(field[0])?.[1]) : NaN;
        const list = text.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
        sitesError = errorText(err.code) + (Number.isInteger(index) && list[index] ? ` (${list[index]})` : "");
      } else {
        sitesError = errorText("internal");
      }
    }
    saving = false;
    render();
  }

  function choices(): HTMLElement {
    const c = current()!;
    const select = h("select", { id: "embed-campaign" }, campaigns!.map((x) => h("option", { value: x.id, text: pick(x.title) })));
    select.value = c.id;
    select.addEventListener("change", () => {
      chosen = select.value;
      render();
    });
    const sizes = h("div", { class: "c-segmented", role: "radiogroup", "aria-label": ct("embed.size") }, EMBED_SIZES.map((s) => {
      const input = h("input", { type: "radio", name: "embed-size", value: s, checked: s === size, id: `embed-size-${s}` });
      input.addEventListener("change", () => {
        size = s;
        render();
      });
      return h("label", { class: "c-segment", for: `embed-size-${s}` }, [input, h("span", { text: ct(`embed.size.${s}`) })]);
    }));
    const langs = h("select", { id: "embed-lang" }, [
      h("option", { value: "", text: ct("embed.lang.auto") }), h("option", { value: "fr", text: ct("embed.lang.fr") }), h("option", { value: "en", text: ct("embed.lang.en") }),
    ]);
    langs.value = lang ?? "";
    langs.addEventListener("change", () => {
      lang = langs.value === "fr" || langs.value === "en" ? langs.value : null;
      render();
    });
    return h("div", { class: "c-card c-row c-embed-options" }, [
      h("div", { class: "c-field" }, [h("label", { for: "embed-campaign", text: ct("embed.campaign") }), select]),
      h("div", { class: "c-field" }, [h("span", { class: "c-label", text: ct("embed.size") }), sizes]),
      h("div", { class: "c-field" }, [h("label", { for: "embed-lang", text: ct("embed.lang") }), langs]),
    ]);
  }

  function snippetCard(id: string, title: string, hint: string, code: string, rows: number): HTMLElement {
    const area = h("textarea", { id, class: "c-code", readonly: true, rows, spellcheck: "false", "aria-label": title });
    area.value = code;
    return h("div", { class: "c-embed-snippet" }, [
      h("h3", { text: title }),
      h("p", { class: "c-hint", text: hint }),
      area,
      h("div", { class: "c-actions" }, [button(ct("embed.copy"), () => void copy(code, area), { "data-copy": id }, "c-primary")]),
    ]);
  }

  function sitesCard(): HTMLElement {
    const children: Array<HTMLElement | null> = [h("h3", { text: ct("embed.sites") }), h("p", { class: "c-hint", text: ct("embed.sitesHint") })];
    if (canWrite) {
      const area = h("textarea", { id: "embed-sites", rows: Math.max(3, sites.length + 1), spellcheck: "false", placeholder: "https://www.example.org",
        "aria-invalid": sitesError ? "true" : undefined, "aria-describedby": sitesError ? "embed-sites-error" : undefined });
      area.value = sitesDraft ?? sites.join("\n");
      children.push(
        h("div", { class: "c-field" }, [h("label", { for: "embed-sites", text: ct("embed.sitesField") }), area,
          sitesError ? h("p", { class: "c-field-error", id: "embed-sites-error", role: "alert", text: sitesError }) : null]),
        h("div", { class: "c-actions" }, [button(ct("embed.sitesSave"), () => void saveSites(area.value), { id: "embed-sites-save", disabled: saving }, "c-primary")]),
      );
    } else {
      children.push(sites.length === 0 ? empty("embed.sitesNone") : h("ul", { class: "c-list", id: "embed-sites-list" }, sites.map((s) => h("li", { text: s }))),
        h("p", { class: "c-hint", text: ct("embed.sitesReadOnly") }));
    }
    if (canWrite && sites.length === 0 && sitesDraft === null) children.push(h("p", { class: "c-hint", text: ct("embed.sitesNone") }));
    return h("section", { class: "c-card", id: "embed-sites-card" }, children);
  }

  function render(): void {
    const parts: Array<HTMLElement | null> = [heading("nav.embed", [], ct("embed.lead"))];
    if (failure) parts.push(problem(failure));
    else if (campaigns === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else if (campaigns.length === 0) parts.push(empty("embed.noCampaign"), sitesCard());
    else {
      const c = current()!;
      const base = location.origin;
      const options = { base, campaignId: c.id, size, lang };
      // The preview speaks the console's language when the widget follows the visitor's.
      const src = embedUrl({ ...options, lang: lang ?? locale() });
      // Keep the preview when nothing it shows changed (a re-render after saving the sites).
      const old = root.querySelector<HTMLIFrameElement>("#embed-preview");
      const frame = old && old.getAttribute("src") === src ? old
        : h("iframe", { id: "embed-preview", src, title: ct("embed.preview"), width: "100%", height: EMBED_HEIGHTS[size], loading: "lazy" });
      parts.push(
        choices(),
        h("section", { class: "c-card c-embed-preview" }, [h("h3", { text: ct("embed.preview") }), h("p", { class: "c-hint", text: ct("embed.previewHint") }), frame]),
        h("section", { class: "c-card c-embed-snippets" }, [
          snippetCard("embed-iframe-code", ct("embed.snippet"), ct("embed.snippetHint"), iframeSnippet({ ...options, title: pick(c.title) }), 3),
          snippetCard("embed-script-code", ct("embed.script"), ct("embed.scriptHint"), scriptSnippet({ base, campaignId: c.id, lang }), 9),
        ]),
        sitesCard(),
      );
    }
    root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  }

  void load();
  render();
  return { root, render };
}
