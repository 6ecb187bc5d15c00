/**
 * The village feed (<dialog id="feed">, opened by #open-feed): the news NGOs
 * posted about the projects I gave to, newest first, with their photos, in
 * my language. Read when opened, page by page ("Older news"); a live
 * impact_update notification makes the next opening read again (or reads at
 * once while it is open).
 */
import type { ImpactUpdateView } from "../../shared/impact-updates.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { feedApi } from "../net/feed-api.ts";
import type { Session } from "../net/session.ts";
import { byId, h } from "./element.ts";

export interface FeedDeps {
  session(): Session | undefined;
}

export class FeedPanel {
  private readonly dialog: HTMLDialogElement;
  private readonly opener: HTMLButtonElement;
  private readonly deps: FeedDeps;
  private updates: ImpactUpdateView[] = [];
  private next: string | null = null;
  private loaded = false;
  private stale = true;
  private loading = false;
  private loadError: string | null = null;
  private pressedBackdrop = false;

  constructor(dialog: HTMLDialogElement, deps: FeedDeps) {
    this.dialog = dialog;
    this.deps = deps;
    this.opener = byId<HTMLButtonElement>("open-feed");
    this.opener.addEventListener("click", () => (this.dialog.open ? this.close() : this.open()));
    dialog.setAttribute("aria-labelledby", "feed-title");
    dialog.addEventListener("pointerdown", (event) => {
      this.pressedBackdrop = event.target === dialog;
    });
    dialog.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (target.closest("button.receipts-close") || (target === dialog && this.pressedBackdrop)) this.close();
      else if (target.closest("button.feed-more")) void this.load(this.next);
    });
    dialog.addEventListener("close", () => this.render());
    this.render();
  }

  /** The session is open: show the button. */
  start(): void {
    this.render();
  }

  /** News was posted for me (a live impact_update notification). */
  changed(): void {
    this.stale = true;
    if (this.dialog.open) void this.load(null);
  }

  open(): void {
    if (this.dialog.open) return;
    this.render();
    this.dialog.showModal();
    if (this.stale) void this.load(null);
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  /** Reads the first page (`before` null) or the page after `before`. */
  async load(before: string | null): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token || this.loading) return;
    this.loading = true;
    this.render();
    try {
      const page = await feedApi.list(token, before ?? undefined);
      this.updates = before ? [...this.updates, ...page.updates.filter((u) => !this.updates.some((k) => k.id === u.id))] : page.updates;
      this.next = page.next;
      this.stale = false;
      this.loadError = null;
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.loading = false;
    this.loaded = true;
    this.render();
  }

  render(): void {
    this.opener.hidden = !this.deps.session();
    this.opener.setAttribute("aria-expanded", String(this.dialog.open));
    this.opener.setAttribute("aria-label", t("feed.title"));
    const body = this.updates.length === 0
      ? h("p", { class: "notifications-empty", text: t(this.loaded && !this.loading ? "feed.empty" : "feed.loading") })
      : h("ol", { class: "feed-updates", id: "feed-list" }, this.updates.map((u) => card(u)));
    this.dialog.replaceChildren(
      h("header", { class: "notifications-header" }, [
        h("h2", { id: "feed-title", text: t("feed.title") }),
        h("button", { type: "button", class: "receipts-close", "aria-label": t("feed.close"), text: "×" }),
      ]),
      h("p", { class: "feed-lead", text: t("feed.lead") }),
      this.loadError ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) }) : "",
      body,
      this.next ? h("button", { type: "button", class: "feed-more", disabled: this.loading, text: t("feed.more") }) : "",
    );
  }
}

/** One update: photo, title, who and which project, when, and the text. */
function card(u: ImpactUpdateView): HTMLElement {
  const date = new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", year: "numeric" }).format(new Date(u.createdAt));
  return h("li", { class: "feed-update", "data-id": u.id }, [
    u.photo
      ? h("img", { class: "feed-photo", src: u.photo.url, alt: t("feed.photoAlt", { title: pick(u.title) }), width: u.photo.width, height: u.photo.height, loading: "lazy", decoding: "async" })
      : null,
    h("h3", { class: "feed-update-title", text: pick(u.title) }),
    h("p", { class: "feed-update-about" }, [
      h("span", { text: t("feed.about", { ngo: u.ngo.name, project: pick(u.project.name) }) }),
      " · ",
      h("time", { datetime: u.createdAt, text: date }),
    ]),
    h("p", { class: "feed-update-body", text: pick(u.body) }),
  ]);
}
