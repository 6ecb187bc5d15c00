/**
 * Small pieces every screen uses: its heading with actions, an empty or
 * failed state, a status chip, and a table that turns into cards on a phone.
 */
import { errorText } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { h } from "../ui/element.ts";
import { ct, type ConsoleKey } from "./i18n.ts";

/** A screen's heading: a console text, or `{ text }` for a name (a campaign's title). */
export function heading(title: ConsoleKey | { text: string }, actions: Array<HTMLElement | null> = [], lead?: string): HTMLElement {
  return h("div", { class: "c-heading" }, [
    h("div", {}, [h("h2", { text: typeof title === "string" ? ct(title) : title.text }), lead ? h("p", { class: "c-lead", text: lead }) : null]),
    h("div", { class: "c-heading-actions" }, actions),
  ]);
}

/** A button with translated `text`. */
export function button(text: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}, kind = "c-secondary"): HTMLButtonElement {
  const el = h("button", { type: "button", class: kind, ...attrs, text });
  el.addEventListener("click", onClick);
  return el;
}

export function problem(err: unknown): HTMLElement {
  return h("p", { class: "c-problem", role: "alert", text: errorText(err instanceof ApiError ? err.code : "internal") });
}

export function empty(key: ConsoleKey): HTMLElement {
  return h("p", { class: "c-empty", text: ct(key) });
}

export function chip(text: string, kind: string): HTMLElement {
  return h("span", { class: `c-chip c-chip-${kind}`, text });
}

export interface Column<T> {
  label: ConsoleKey;
  cell(row: T): Node | string;
  /** Right-aligned figures. */
  numeric?: boolean;
}

/** A table; on narrow screens each row reads as a card (labels come from data-label). */
export function table<T>(id: string, columns: Array<Column<T>>, rows: T[], rowAttrs?: (row: T) => Record<string, string>): HTMLElement {
  return h("div", { class: "c-table-wrap" }, [
    h("table", { id, class: "c-table" }, [
      h("thead", {}, [h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.numeric ? "num" : undefined, text: ct(c.label) })))]),
      h("tbody", {}, rows.map((row) => h("tr", rowAttrs?.(row) ?? {}, columns.map((c) =>
        h("td", { class: c.numeric ? "num" : undefined, "data-label": ct(c.label) }, [c.cell(row)]))))),
    ]),
  ]);
}
