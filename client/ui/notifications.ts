/**
 * The notifications bell (#open-notifications) and its list
 * (<dialog id="notifications">): gifts received in my village ("Alice gave
 * you a goat", or "Someone gave you a goat" when the giver stayed anonymous)
 * and gifts that left it (refund, lost dispute). The bell shows how many are
 * unread; opening the list marks them read. Read gently (every 30 s while
 * the page is visible, and when the player comes back to it); a live
 * notification from the village room can be handed over with received().
 * A friend request ("Alice would like to be your friend") has its Accept
 * button in the row; an accepted one says so ("Alice accepted").
 */
import type { NotificationGift, NotificationMessage, NotificationView } from "../../shared/notifications.ts";
import { errorText, locale, pick, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { gentlePoll } from "../net/gentle-poll.ts";
import type { Session } from "../net/session.ts";
import { friendsApi, notificationsApi } from "../net/social-api.ts";
import { rememberMilestones } from "../game/milestone-titles.ts";
import { byId, h, spriteUrl } from "./element.ts";
import { ThankGiver, cropsHelpedText, neighbourArt, thanksDetails, thanksReceivedText } from "./neighbour-notices.ts";

const POLL_MS = 30_000;

export interface NotificationsDeps {
  session(): Session | undefined;
  /** A friend request was accepted from its row: the friends list changed. */
  befriended?(friend: { id: string; name: string }): void;
  /** Thanks were sent for a gift received. */
  thanked?(): void;
  /** Opens a village (a dedicated gift's, to see it standing there). */
  openVillage?(villageId: string): void;
}

export class NotificationsFeed {
  private readonly dialog: HTMLDialogElement;
  private readonly opener: HTMLButtonElement;
  private readonly deps: NotificationsDeps;
  private items: NotificationView[] = [];
  private unread = 0;
  private loaded = false;
  private loadError: string | null = null;
  /** Ids that were unread when the list opened: still highlighted while it stays open. */
  private fresh = new Set<string>();
  private poll: ReturnType<typeof gentlePoll> | undefined;
  private pressedBackdrop = false;
  /** The friend requests being accepted from their row (by requester id). */
  private accepting = new Set<string>();
  /** "Say thanks" on a gift received, and its form. */
  private readonly thanks: ThankGiver;

  constructor(dialog: HTMLDialogElement, deps: NotificationsDeps) {
    this.dialog = dialog;
    this.deps = deps;
    this.opener = byId<HTMLButtonElement>("open-notifications");
    this.thanks = new ThankGiver({
      token: () => this.deps.session()?.token,
      thanked: (orderId) => {
        for (const n of this.items) if (n.kind === "gift_received" && n.payload.orderId === orderId) n.payload.thanked = true;
        this.deps.thanked?.();
      },
    }, () => this.render());
    this.opener.addEventListener("click", () => (this.dialog.open ? this.close() : this.open()));
    dialog.setAttribute("aria-labelledby", "notifications-title");
    dialog.addEventListener("pointerdown", (event) => {
      this.pressedBackdrop = event.target === dialog;
    });
    dialog.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (this.thanks.click(target)) return;
      const accept = target.closest<HTMLButtonElement>("button[data-accept-friend]");
      const see = target.closest<HTMLButtonElement>("button[data-open-village]");
      if (see) {
        this.close();
        this.deps.openVillage?.(see.dataset.openVillage ?? "");
      } else if (accept) void this.acceptFriend(accept.dataset.acceptFriend ?? "");
      else if (target.closest("button.receipts-close") || (target === dialog && this.pressedBackdrop)) this.close();
    });
    dialog.addEventListener("close", () => {
      this.fresh.clear();
      this.render();
    });
    this.render();
  }

  /** The session is open: show the bell and start reading. */
  start(): void {
    this.render();
    if (this.poll || !this.deps.session()) return;
    this.poll = gentlePoll(() => this.load(), POLL_MS);
    this.poll.now();
  }

  /** A notification pushed live by the village room. */
  received(message: NotificationMessage): void {
    if (!this.items.some((n) => n.id === message.notification.id)) this.items.unshift(message.notification);
    this.unread = message.unread;
    if (this.dialog.open) {
      this.fresh.add(message.notification.id);
      void this.markRead();
    }
    this.render();
  }

  open(): void {
    if (this.dialog.open) return;
    this.fresh = new Set(this.items.filter((n) => !n.readAt).map((n) => n.id));
    this.render();
    this.dialog.showModal();
    void this.load().then(() => this.markRead());
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  async load(): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token) return;
    try {
      const response = await notificationsApi.list(token);
      if (this.dialog.open) for (const n of response.notifications) if (!n.readAt) this.fresh.add(n.id);
      this.items = response.notifications;
      this.unread = response.unread;
      this.loadError = null;
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.loaded = true;
    this.render();
  }

  render(): void {
    this.opener.hidden = !this.deps.session();
    const badge = this.opener.querySelector<HTMLElement>(".topbar-badge");
    if (badge) {
      badge.textContent = this.unread > 99 ? "99+" : String(this.unread);
      badge.hidden = this.unread === 0;
    }
    this.opener.setAttribute("aria-label", this.unread > 0 ? t("notifications.openUnread", { count: this.unread }) : t("notifications.open"));
    this.opener.setAttribute("aria-expanded", String(this.dialog.open));
    const list = this.items.length === 0
      ? h("p", { class: "notifications-empty", text: t(this.loaded ? "notifications.empty" : "notifications.loading") })
      : h("ul", { class: "notification-rows", id: "notification-list" }, this.items.map((n) => this.row(n)));
    this.dialog.replaceChildren(
      h("header", { class: "notifications-header" }, [
        h("h2", { id: "notifications-title", text: t("notifications.title") }),
        h("button", { type: "button", class: "receipts-close", "aria-label": t("receipts.close"), text: "×" }),
      ]),
      this.loadError ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) }) : "",
      list,
    );
  }

  private row(n: NotificationView): HTMLElement {
    const isNew = this.fresh.has(n.id) || !n.readAt;
    const busy = n.kind === "friend_request" && this.accepting.has(n.payload.from.id);
    return h("li", { class: `notification ${n.kind}${isNew ? " new" : ""}`, "data-kind": n.kind, "data-id": n.id }, [
      h("span", { class: "notification-art", "aria-hidden": "true" }, [art(n)]),
      h("span", { class: "notification-body" }, [
        h("span", { class: "notification-text", text: describe(n) }),
        h("time", { class: "notification-time", datetime: n.createdAt, text: ago(n.createdAt) }),
        n.kind === "friend_request"
          ? h("button", {
            type: "button", class: "small-action notification-action", "data-accept-friend": n.payload.from.id, disabled: busy,
            "aria-busy": busy ? "true" : undefined, text: t(busy ? "notifications.acceptingFriend" : "notifications.acceptFriend"),
          })
          : null,
        n.kind === "gift_received" ? this.thanks.part(n) : null,
        n.kind === "thanks_received" ? thanksDetails(n) : null,
        n.kind === "dedication_received" && n.payload.villageId
          ? h("button", { type: "button", class: "small-action notification-action", "data-open-village": n.payload.villageId, text: t("dedication.openVillage") })
          : null,
      ]),
      isNew ? h("span", { class: "notification-dot", "aria-label": t("notifications.new") }) : null,
    ]);
  }

  /** Accepts a friend request from its row: the row goes (the server removed it), the friends list changes. */
  private async acceptFriend(playerId: string): Promise<void> {
    const token = this.deps.session()?.token;
    const request = this.items.find((n) => n.kind === "friend_request" && n.payload.from.id === playerId);
    if (!token || !request || request.kind !== "friend_request" || this.accepting.has(playerId)) return;
    this.accepting.add(playerId);
    this.loadError = null;
    this.render();
    try {
      await friendsApi.accept(token, playerId);
      this.items = this.items.filter((n) => n !== request);
      this.deps.befriended?.(request.payload.from);
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    } finally {
      this.accepting.delete(playerId);
    }
    await this.load();
  }

  private async markRead(): Promise<void> {
    const token = this.deps.session()?.token;
    const ids = this.items.filter((n) => !n.readAt).map((n) => n.id);
    if (!token || ids.length === 0) return;
    try {
      const result = await notificationsApi.markRead(token, { ids: ids.slice(0, 100) });
      const now = new Date().toISOString();
      for (const n of this.items) if (ids.includes(n.id)) n.readAt = now;
      this.unread = result.unread;
    } catch (err) {
      console.warn("marking notifications read failed", err);
    }
    this.render();
  }
}

/** The picture of a row: the gift's sprite, or an impact update's photo as a thumbnail. */
function art(n: NotificationView): HTMLElement | null {
  if (n.kind === "impact_update") {
    const url = n.payload.photoUrl;
    return url ? h("img", { class: "notification-photo", src: url, alt: t("feed.photoAlt", { title: pick(n.payload.title) }), width: 36, height: 36, loading: "lazy" }) : h("span", { text: "🌱" });
  }
  if (n.kind === "ngo_invitation") return h("span", { text: "🤝" });
  if (n.kind === "crops_helped" || n.kind === "thanks_received") return neighbourArt(n);
  // The project's own art (an emoji glyph may be missing from the player's fonts).
  if (n.kind === "friend_request") return h("img", { src: spriteUrl("emote-wave"), alt: "", width: 36, height: 36 });
  if (n.kind === "friend_accepted") return h("img", { src: spriteUrl("heart"), alt: "", width: 36, height: 36 });
  if (n.kind === "milestone_reached") {
    const sprite = n.payload.milestones[0]?.sprite;
    return sprite ? h("img", { src: spriteUrl(sprite), alt: "", width: 36, height: 36 }) : h("span", { text: "🎉" });
  }
  const sprite = n.payload.gifts[0]?.sprite;
  return sprite ? h("img", { src: spriteUrl(sprite), alt: "", width: 36, height: 36 }) : null;
}

/** "Alice gave you a goat", "Someone gave you 2 × three hens", "A goat left your village: …", "News from …". */
function describe(n: NotificationView): string {
  if (n.kind === "impact_update") {
    return t("notifications.impactUpdate", { ngo: n.payload.ngo.name, project: pick(n.payload.project.name), title: pick(n.payload.title) });
  }
  if (n.kind === "ngo_invitation") return t("notifications.ngoInvitation", { ngo: n.payload.ngo.name, role: t(`notifications.role.${n.payload.role}`) });
  if (n.kind === "friend_request") return t("notifications.friendRequest", { name: n.payload.from.name });
  if (n.kind === "friend_accepted") return t("notifications.friendAccepted", { name: n.payload.friend.name });
  if (n.kind === "milestone_reached") {
    rememberMilestones(n.payload.milestones);
    const last = n.payload.milestones[n.payload.milestones.length - 1];
    return t("notifications.milestoneReached", { campaign: pick(n.payload.campaign.title), milestone: last ? pick(last.title) : "", count: n.payload.itemIds.length });
  }
  if (n.kind === "crops_helped") return cropsHelpedText(n);
  const gifts = giftList(n.payload.gifts);
  if (n.kind === "thanks_received") return thanksReceivedText(n, gifts);
  if (n.kind === "gift_received") {
    const from = n.payload.fromName;
    return from ? t("notifications.giftFrom", { name: from, gifts }) : t("notifications.giftAnonymous", { gifts });
  }
  const names = capitalize(gifts);
  if (n.kind === "gift_restored") return t("restored.refundUndone", { names });
  if (n.kind === "dedication_received") {
    const p = n.payload;
    const said = p.message ? (locale() === "fr" ? ` « ${p.message} »` : ` “${p.message}”`) : "";
    return (p.fromName ? t("notifications.dedicationFrom", { name: p.fromName, honoree: p.honoreeName, gifts }) : t("notifications.dedicationAnonymous", { honoree: p.honoreeName, gifts })) + said;
  }
  return t(n.payload.reason === "refunded" ? "withdrawn.refunded" : "withdrawn.disputeLost", { names });
}

function giftList(gifts: NotificationGift[]): string {
  const lang = locale();
  const parts = gifts.map((g) => {
    const name = pick(g.name) || t("notifications.aGift");
    const lower = name.charAt(0).toLocaleLowerCase(lang) + name.slice(1);
    return g.quantity > 1 ? `${g.quantity} × ${lower}` : lower;
  });
  if (parts.length === 0) return t("notifications.aGift");
  return new Intl.ListFormat(lang, { type: "conjunction" }).format(parts);
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase(locale()) + text.slice(1);
}

/** "5 minutes ago", "yesterday"… */
function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: "auto" });
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [["second", 60], ["minute", 60], ["hour", 24], ["day", 7], ["week", 4.345], ["month", 12]];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === "second" ? t("notifications.justNow") : format.format(value, unit);
    value = Math.round(value / size);
  }
  return format.format(value, "year");
}
