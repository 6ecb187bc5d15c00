/**
 * HTML built by small template functions, escaped by default. `html` is a tag
 * for template literals: every interpolated value is escaped unless it is
 * already Html (made by `html` or `raw`), arrays are joined, and null,
 * undefined and false print nothing. Pages never concatenate untrusted text
 * into markup any other way.
 *
 *   html`<p class="x">${userText}</p>`      // text escaped (&, <, >, ", ')
 *   html`<a href="${url}">${name}</a>`      // attribute values escaped the same way
 */

/** Markup that is already safe: made by `html` or `raw`. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Trusted markup, printed as is: only for constants written in this code, never for data. */
export function raw(markup: string): Html {
  return new Html(markup);
}

function print(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(print).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += print(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/**
 * A text written by an NGO as paragraphs: blank lines separate paragraphs,
 * single line breaks become <br>. Everything escaped.
 */
export function paragraphs(text: string, className?: string): Html {
  const blocks = text.split(/\r?\n\s*\r?\n/).map((b) => b.trim()).filter(Boolean);
  return html`${blocks.map((b) => html`<p${className ? html` class="${className}"` : ""}>${b.split(/\r?\n/).map((line, i) => html`${i > 0 ? raw("<br>") : ""}${line}`)}</p>`)}`;
}

/**
 * A translated template ("{raised} raised of {goal}") with its placeholders
 * filled by markup or text: the template's own text is escaped too.
 */
export function fillHtml(template: string, values: Record<string, HtmlValue>): Html {
  const parts = template.split(/(\{\w+\})/);
  return html`${parts.map((p) => {
    const m = /^\{(\w+)\}$/.exec(p);
    return m && m[1]! in values ? html`${values[m[1]!]}` : p;
  })}`;
}

/** The first `max` characters of a text on one line, cut at a word with "…" (for meta descriptions). */
export function summary(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:—-]+$/, "")}…`;
}
