/**
 * The public pages' 404 (and 400) page: the same for an unknown id, a draft
 * campaign, an NGO not approved and a private village, so a page never tells
 * whether something exists but is hidden.
 */
import { html } from "./html.ts";
import { type PageContext, pageDocument } from "./page-document.ts";
import { stringsFor } from "./page-strings.ts";

export function notFoundPage(path: string, ctx: PageContext, kind: "not-found" | "bad-request" = "not-found"): string {
  const t = stringsFor(ctx.locale);
  const title = kind === "bad-request" ? t.badRequestTitle : t.notFoundTitle;
  const body = html`<section class="not-found">
<h1>${title}</h1>
<p>${t.notFoundText}</p>
<p><a class="button" href="/">${t.backHome}</a></p>
</section>`;
  return pageDocument({ meta: null, title: `${title} · Hameau`, path, body, kind: "not-found" }, ctx);
}
