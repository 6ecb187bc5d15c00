/**
 * The friends dialog (<dialog id="friends">), opened from the header.
 *
 * - Friends, with "online" (and where) only for those who share it, "Visit",
 *   and remove or block (each asks once more, in the row).
 * - Requests I received (accept, decline) and sent (cancel).
 * - Add a friend by name, and invite links (friend-invite.ts).
 * - Players I blocked, to unblock.
 *
 * Friends need an account: a guest sees why, and a way to create one.
 * The header button shows how many requests wait for an answer.
 */
import type { PlayerView } from "../../shared/api.ts";
import type { FriendView, FriendsResponse } from "../../shared/social.ts";
import { errorText, t, type MessageKey } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { gentlePoll } from "../net/gentle-poll.ts";
import type { Session } from "../net/session.ts";
import { friendsApi } from "../net/social-api.ts";
import { byId, h } from "./element.ts";
import { AddFriendPart } from "./friend-invite.ts";
import { SheetDialog } from "./sheet-dialog.ts";

/** Friends' requests and presence are read again this often while the page is visible. */
const REFRESH_MS = 60_000;

export interface FriendsDeps {
  session(): Session | undefined;
  /** Go to a friend's village. */
  onVisit(villageId: string): void;
  /** A guest wants friends: bring them to the account dialog. */
  needAccount(): void;
}

type Action = "accept" | "decline" | "cancel" | "remove" | "block" | "unblock";
/** Actions that ask once more before they happen. */
const CONFIRMED: ReadonlySet<Action> = new Set(["remove", "block"]);

export class FriendsDialog {
  private readonly sheet: SheetDialog;
  private readonly deps: FriendsDeps;
  private readonly opener: HTMLButtonElement;
  private readonly add: AddFriendPart;
  private readonly listPart: HTMLElement;
  private readonly blockedPart: HTMLElement;
  private data: FriendsResponse | null = null;
  private loadError: string | null = null;
  private readonly busy = new Set<string>();
  /** The row asking "are you sure?", if any. */
  private confirming: { playerId: string; action: Action } | null = null;
  private poll: ReturnType<typeof gentlePoll> | undefined;

  constructor(dialog: HTMLDialogElement, deps: FriendsDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "friends.title", () => {
      this.confirming = null;
    });
    this.opener = byId<HTMLButtonElement>("open-friends");
    this.opener.addEventListener("click", () => this.open());
    this.add = new AddFriendPart({ token: () => this.token(), toast: this.sheet.toast, changed: () => void this.load() });
    this.listPart = h("section", { class: "receipts-part friends-part", "aria-labelledby": "friends-list-title" });
    this.blockedPart = h("section", { class: "receipts-part friends-part blocked", "aria-labelledby": "blocked-title" });
    this.sheet.body.classList.add("friends-body");
    this.sheet.body.addEventListener("click", (event) => this.onClick(event));
    this.render();
  }

  /** Starts reading requests for the header badge (accounts only). */
  start(): void {
    this.render();
    if (!this.deps.session()?.account || this.poll) return;
    this.poll = gentlePoll(() => this.load(), REFRESH_MS);
    this.poll.now();
  }

  open(): void {
    this.render();
    this.sheet.open();
    if (this.deps.session()?.account) void this.load();
  }

  close(): void {
    this.sheet.close();
  }

  async load(): Promise<void> {
    const token = this.token();
    if (!token) return;
    try {
      this.data = await friendsApi.list(token);
      this.loadError = null;
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  render(): void {
    this.sheet.renderHeader();
    const session = this.deps.session();
    this.opener.hidden = !session;
    const waiting = this.data?.friends.filter((f) => f.status === "incoming").length ?? 0;
    const badge = this.opener.querySelector<HTMLElement>(".topbar-badge");
    if (badge) {
      badge.textContent = String(waiting);
      badge.hidden = waiting === 0;
    }
    this.opener.setAttribute("aria-label", waiting > 0 ? t("friends.openWaiting", { count: waiting }) : t("friends.open"));
    if (!session) return;
    if (!session.account) {
      this.sheet.body.replaceChildren(
        h("section", { class: "receipts-part friends-part friends-guest" }, [
          h("h3", { text: t("friends.guest.title") }),
          h("p", { class: "receipts-lead", text: t("friends.guest.why") }),
          h("button", { type: "button", id: "friends-need-account", class: "receipts-primary", text: t("friends.guest.action") }),
        ]),
      );
      return;
    }
    // A refresh while the player types a name must not take the keyboard away.
    const focused = document.activeElement instanceof HTMLInputElement && this.sheet.body.contains(document.activeElement) ? document.activeElement : null;
    const caret = focused ? [focused.id, focused.selectionStart, focused.selectionEnd] as const : null;
    this.renderList();
    this.renderBlocked();
    this.add.render();
    this.sheet.body.replaceChildren(this.listPart, this.add.root, this.blockedPart);
    if (caret && caret[0]) {
      const input = this.sheet.body.querySelector<HTMLInputElement>(`#${CSS.escape(caret[0])}`);
      input?.focus();
      if (input && input.type === "text") input.setSelectionRange(caret[1], caret[2]);
    }
  }

  private renderList(): void {
    const all = this.data?.friends ?? [];
    const of = (status: FriendView["status"]) => all.filter((f) => f.status === status);
    const friends = of("friend");
    const incoming = of("incoming");
    const outgoing = of("outgoing");
    const children: Array<Node | null> = [h("h3", { id: "friends-list-title", text: t("friends.list.title") })];
    if (this.loadError) children.push(h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) }));
    if (!this.data && !this.loadError) children.push(h("p", { class: "tax-loading", text: t("friends.loading") }));
    if (incoming.length > 0) {
      children.push(
        h("h4", { class: "friends-subtitle", text: t("friends.incoming") }),
        h("ul", { class: "friend-rows", id: "friends-incoming" }, incoming.map((f) =>
          this.row(f.player, [h("span", { class: "friend-note", text: t("friends.incomingNote") })], [
            ["accept", "friends.accept", "primary"], ["decline", "friends.decline", ""], ["block", "friends.block", "quiet"],
          ]))),
      );
    }
    if (this.data) {
      children.push(
        friends.length === 0
          ? h("p", { class: "tax-empty", id: "friends-empty", text: t("friends.empty") })
          : h("ul", { class: "friend-rows", id: "friends-list" }, friends.map((f) =>
            this.row(f.player, [presence(f)], [["visit", "friends.visit", "primary"], ["remove", "friends.remove", ""], ["block", "friends.block", "quiet"]], f.villageId))),
      );
    }
    if (outgoing.length > 0) {
      children.push(
        h("h4", { class: "friends-subtitle", text: t("friends.outgoing") }),
        h("ul", { class: "friend-rows", id: "friends-outgoing" }, outgoing.map((f) =>
          this.row(f.player, [h("span", { class: "friend-note", text: t("friends.outgoingNote") })], [["cancel", "friends.cancel", ""]]))),
      );
    }
    this.listPart.replaceChildren(...children.filter((c): c is Node => c !== null));
  }

  private renderBlocked(): void {
    const blocked = this.data?.blocked ?? [];
    this.blockedPart.hidden = blocked.length === 0;
    this.blockedPart.replaceChildren(
      h("h3", { id: "blocked-title", text: t("friends.blocked.title") }),
      h("p", { class: "receipts-lead", text: t("friends.blocked.lead") }),
      h("ul", { class: "friend-rows", id: "friends-blocked" }, blocked.map((p) => this.row(p, [], [["unblock", "friends.unblock", ""]]))),
    );
  }

  /** One player's row: name, notes, and action buttons (or the "are you sure?" of one of them). */
  private row(player: PlayerView, notes: Node[], actions: Array<[Action | "visit", MessageKey, string]>, villageId?: string): HTMLElement {
    const busy = this.busy.has(player.id);
    const asking = this.confirming?.playerId === player.id ? this.confirming.action : null;
    const buttons = asking
      ? [
        h("span", { class: "friend-confirm", text: t(asking === "block" ? "friends.confirmBlock" : "friends.confirmRemove", { name: player.name }) }),
        h("button", { type: "button", class: "friend-action danger", "data-action": asking, "data-confirmed": "true", disabled: busy, text: t(asking === "block" ? "friends.block" : "friends.remove") }),
        h("button", { type: "button", class: "friend-action", "data-action": "dismiss", text: t("friends.keep") }),
      ]
      : actions.map(([action, label, kind]) =>
        h("button", {
          type: "button", class: `friend-action ${kind}`.trim(), "data-action": action, "data-village-id": villageId, disabled: busy,
          "aria-label": t(label) + " — " + player.name, text: t(label),
        }));
    return h("li", { class: `friend-row${asking ? " asking" : ""}`, "data-player-id": player.id, "data-player-name": player.name }, [
      h("span", { class: "friend-avatar", "aria-hidden": "true", text: initial(player.name) }),
      h("span", { class: "friend-who" }, [h("strong", { class: "friend-name", text: player.name }), ...notes]),
      h("span", { class: "friend-actions" }, buttons),
    ]);
  }

  private onClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
    if (!button) return;
    if (button.id === "friends-need-account") {
      this.close();
      this.deps.needAccount();
      return;
    }
    const row = button.closest<HTMLElement>("[data-player-id]");
    const action = button.dataset.action;
    if (!row || !action) return;
    const playerId = row.dataset.playerId!;
    if (action === "visit") {
      const villageId = button.dataset.villageId;
      if (!villageId) return;
      this.close();
      this.deps.onVisit(villageId);
      return;
    }
    if (action === "dismiss") {
      this.confirming = null;
      this.render();
      row.querySelector<HTMLButtonElement>("button")?.focus();
      return;
    }
    if (CONFIRMED.has(action as Action) && button.dataset.confirmed !== "true") {
      this.confirming = { playerId, action: action as Action };
      this.render();
      this.sheet.body.querySelector<HTMLButtonElement>(`[data-player-id="${CSS.escape(playerId)}"] [data-confirmed]`)?.focus();
      return;
    }
    void this.act(playerId, row.dataset.playerName ?? "", action as Action);
  }

  private async act(playerId: string, name: string, action: Action): Promise<void> {
    const token = this.token();
    if (!token || this.busy.has(playerId)) return;
    this.busy.add(playerId);
    this.render();
    try {
      if (action === "accept") await friendsApi.accept(token, playerId);
      else if (action === "block") await friendsApi.block(token, playerId);
      else if (action === "unblock") await friendsApi.unblock(token, playerId);
      else await friendsApi.remove(token, playerId);
      this.sheet.toast.show(() => t(DONE[action], { name }), "success");
    } catch (err) {
      this.sheet.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    } finally {
      this.busy.delete(playerId);
      this.confirming = null;
    }
    await this.load();
    this.sheet.body.querySelector<HTMLButtonElement>(`[data-player-id="${CSS.escape(playerId)}"] button`)?.focus();
  }

  private token(): string | undefined {
    const session = this.deps.session();
    return session?.account ? session.token : undefined;
  }
}

const DONE: Record<Action, MessageKey> = {
  accept: "friends.done.accept", decline: "friends.done.decline", cancel: "friends.done.cancel",
  remove: "friends.done.remove", block: "friends.done.block", unblock: "friends.done.unblock",
};

/** "Online · at home" / "Online · visiting a village", only when the friend shares it. */
function presence(friend: FriendView): Node {
  if (!friend.online) return h("span", { class: "friend-note", text: t("friends.villageNote") });
  const home = friend.online.villageId === friend.villageId;
  return h("span", { class: "friend-note online", "data-online": "true" }, [
    h("span", { class: "online-dot", "aria-hidden": "true" }),
    t(home ? "friends.onlineHome" : "friends.onlineAway"),
  ]);
}

function initial(name: string): string {
  return [...name.trim()][0]?.toLocaleUpperCase() ?? "?";
}
