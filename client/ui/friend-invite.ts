/**
 * "Add a friend" in the friends dialog: a request by name, and invite links
 * (create, copy, withdraw). Whoever opens a link with an account becomes a
 * friend (see client/game/invite-link.ts); links expire after 7 days.
 */
import type { InviteResponse } from "../../shared/social.ts";
import { errorText, locale, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import { friendsApi } from "../net/social-api.ts";
import { h } from "./element.ts";
import type { Toast } from "./toast.ts";

export interface AddFriendDeps {
  token(): string | undefined;
  toast: Toast;
  /** The list changed (a request sent, a friendship made). */
  changed(): void;
}

export class AddFriendPart {
  readonly root: HTMLElement;
  private readonly deps: AddFriendDeps;
  private name = "";
  private nameError: string | null = null;
  private sending = false;
  private invite: InviteResponse | null = null;
  private inviteBusy: "create" | "revoke" | null = null;

  constructor(deps: AddFriendDeps) {
    this.deps = deps;
    this.root = h("section", { class: "receipts-part friends-part add-friend", "aria-labelledby": "add-friend-title" });
    this.root.addEventListener("input", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.id === "friend-name") this.name = input.value;
    });
    this.root.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.request();
    });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
      if (button?.id === "invite-create") void this.createInvite();
      else if (button?.id === "invite-copy") void this.copy();
      else if (button?.id === "invite-revoke") void this.revoke();
    });
  }

  render(): void {
    const input = h("input", {
      id: "friend-name", name: "name", type: "text", maxlength: 60, autocomplete: "off", spellcheck: "false",
      "aria-invalid": this.nameError ? "true" : undefined, "aria-describedby": this.nameError ? "friend-name-error" : undefined,
    });
    input.value = this.name;
    const form = h("form", { id: "add-friend-form", class: "add-friend-form", novalidate: true }, [
      h("div", { class: "donor-field" }, [
        h("label", { for: "friend-name", text: t("friends.add.label") }),
        h("div", { class: "inline-field" }, [
          input,
          h("button", { type: "submit", id: "friend-send", class: "small-action", disabled: this.sending, text: t(this.sending ? "friends.add.busy" : "friends.add.submit") }),
        ]),
        this.nameError ? h("p", { id: "friend-name-error", class: "field-error", text: errorText(this.nameError) }) : null,
      ]),
    ]);
    this.root.replaceChildren(
      h("h3", { id: "add-friend-title", text: t("friends.add.title") }),
      h("p", { class: "receipts-lead", text: t("friends.add.lead") }),
      form,
      h("h4", { class: "friends-subtitle", text: t("friends.invite.title") }),
      h("p", { class: "receipts-lead", text: t("friends.invite.lead") }),
      this.inviteView(),
    );
  }

  private inviteView(): HTMLElement {
    if (!this.invite) {
      return h("div", { class: "invite" }, [
        h("button", { type: "button", id: "invite-create", class: "secondary-button", disabled: this.inviteBusy !== null, text: t(this.inviteBusy === "create" ? "friends.invite.creating" : "friends.invite.create") }),
        h("button", { type: "button", id: "invite-revoke", class: "link-button", disabled: this.inviteBusy !== null, text: t("friends.invite.revokeAll") }),
      ]);
    }
    const expires = new Intl.DateTimeFormat(locale() === "fr" ? "fr-FR" : "en-GB", { day: "numeric", month: "long" }).format(new Date(this.invite.expiresAt));
    const link = h("input", { id: "invite-url", type: "text", readonly: true, "aria-label": t("friends.invite.link"), value: this.invite.url });
    link.value = this.invite.url;
    return h("div", { class: "invite" }, [
      h("div", { class: "inline-field" }, [
        link,
        h("button", { type: "button", id: "invite-copy", class: "small-action", text: t("friends.invite.copy") }),
      ]),
      h("p", { class: "field-hint", text: t("friends.invite.expires", { date: expires }) }),
      h("button", { type: "button", id: "invite-revoke", class: "link-button", disabled: this.inviteBusy !== null, text: t(this.inviteBusy === "revoke" ? "friends.invite.revoking" : "friends.invite.revoke") }),
    ]);
  }

  private async request(): Promise<void> {
    const token = this.deps.token();
    if (!token || this.sending) return;
    const name = this.name.trim();
    this.nameError = null;
    if (!name) {
      this.nameError = "name_invalid";
      this.render();
      this.root.querySelector<HTMLInputElement>("#friend-name")?.focus();
      return;
    }
    this.sending = true;
    this.render();
    try {
      const result = await friendsApi.requestByName(token, { name });
      this.name = "";
      const friendName = result.friend.name;
      this.deps.toast.show(() => t(result.status === "friend" ? "friends.add.nowFriends" : "friends.add.sent", { name: friendName }), "success");
      this.deps.changed();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "internal";
      this.nameError = code === "bad_request" ? "name_invalid" : code;
    } finally {
      this.sending = false;
      this.render();
      this.root.querySelector<HTMLInputElement>("#friend-name")?.focus();
    }
  }

  private async createInvite(): Promise<void> {
    const token = this.deps.token();
    if (!token || this.inviteBusy) return;
    this.inviteBusy = "create";
    this.render();
    try {
      this.invite = await friendsApi.createInvite(token);
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    } finally {
      this.inviteBusy = null;
      this.render();
    }
    if (this.invite) await this.copy();
  }

  private async copy(): Promise<void> {
    if (!this.invite) return;
    const field = this.root.querySelector<HTMLInputElement>("#invite-url");
    try {
      await navigator.clipboard.writeText(this.invite.url);
      this.deps.toast.show(() => t("friends.invite.copied"), "success");
    } catch {
      // No clipboard permission (or an insecure origin): select the link for a manual copy.
      field?.focus();
      field?.select();
      this.deps.toast.show(() => t("friends.invite.copyYourself"), "info");
    }
  }

  private async revoke(): Promise<void> {
    const token = this.deps.token();
    if (!token || this.inviteBusy) return;
    this.inviteBusy = "revoke";
    this.render();
    try {
      const { revoked } = await friendsApi.revokeInvites(token);
      this.invite = null;
      this.deps.toast.show(() => t(revoked > 0 ? "friends.invite.revoked" : "friends.invite.noneToRevoke"), "success");
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    } finally {
      this.inviteBusy = null;
      this.render();
    }
  }
}
