/**
 * Privacy settings in the account dialog: who may visit my village (friends
 * or everyone), whether friends see that I am online and where, the
 * leaderboards, the referral counts, and the monthly e-mail of impact news.
 * All start private (the digest off); each change is saved at once (PATCH
 * /api/account/settings) and undone on screen if the server refuses it.
 * Turning the digest on also tells the server which language to write it in
 * (the game's, PATCH /api/me/preferences).
 */
import type { PrivacySettings } from "../../shared/social.ts";
import { errorText, locale, t } from "../i18n.ts";
import { ApiError, request } from "../net/api.ts";
import { accountApi } from "../net/social-api.ts";
import { h } from "./element.ts";
import type { Toast } from "./toast.ts";

export interface PrivacyDeps {
  token(): string | undefined;
  toast: Toast;
}

export class PrivacySettingsPanel {
  readonly root: HTMLElement;
  private readonly deps: PrivacyDeps;
  private settings: PrivacySettings | null = null;
  private saving = false;
  private loaded: Array<() => void> = [];

  constructor(deps: PrivacyDeps) {
    this.deps = deps;
    this.root = h("section", { class: "receipts-part account-part privacy", "aria-labelledby": "privacy-title" });
    this.root.addEventListener("change", (event) => {
      const input = event.target as HTMLInputElement;
      if (input.name === "villageVisibility") void this.save({ villageVisibility: input.value === "public" ? "public" : "friends" });
      else if (input.name === "showPresence") void this.save({ showPresence: input.checked });
      else if (input.name === "showOnLeaderboards") void this.save({ showOnLeaderboards: input.checked });
      else if (input.name === "showAmountsOnLeaderboards") void this.save({ showAmountsOnLeaderboards: input.checked });
      else if (input.name === "shareReferrals") void this.save({ shareReferrals: input.checked });
      else if (input.name === "impactDigest") void this.save({ impactDigest: input.checked });
    });
    this.render();
  }

  /** The settings as the server has them (from GET /api/me). */
  set(settings: PrivacySettings | null): void {
    this.settings = settings;
    this.render();
    if (settings) for (const then of this.loaded.splice(0)) then();
  }

  /** Runs once the settings are shown (the next time they load). */
  whenLoaded(then: () => void): void {
    this.loaded.push(then);
  }

  render(): void {
    const s = this.settings;
    const disabled = !s || this.saving;
    const visibility = h("fieldset", { class: "privacy-choice", disabled }, [
      h("legend", { text: t("privacy.visibility") }),
      radio("friends", s?.villageVisibility !== "public", t("privacy.visibility.friends"), t("privacy.visibility.friendsHint")),
      radio("public", s?.villageVisibility === "public", t("privacy.visibility.public"), t("privacy.visibility.publicHint")),
    ]);
    const presence = toggle("privacy-presence", "showPresence", s?.showPresence === true, disabled, t("privacy.presence"), t("privacy.presenceHint"));
    const leaderboards = toggle(
      "privacy-leaderboards", "showOnLeaderboards", s?.showOnLeaderboards === true, disabled, t("privacy.leaderboards"), t("privacy.leaderboardsHint"),
    );
    // Amounts are shown only next to a name: the switch waits for the one above.
    const amounts = toggle(
      "privacy-amounts", "showAmountsOnLeaderboards", s?.showAmountsOnLeaderboards === true, disabled || s?.showOnLeaderboards !== true,
      t("privacy.amounts"), t("privacy.amountsHint"),
    );
    const referrals = toggle(
      "privacy-referrals", "shareReferrals", s?.shareReferrals !== false, disabled, t("privacy.referrals"), t("privacy.referralsHint"),
    );
    const digest = toggle("privacy-digest", "impactDigest", s?.impactDigest === true, disabled, t("privacy.digest"), t("privacy.digestHint"));
    this.root.replaceChildren(
      h("h3", { id: "privacy-title", text: t("privacy.title") }),
      h("p", { class: "receipts-privacy" }, [h("span", { class: "privacy-lock", "aria-hidden": "true" }), t("privacy.defaults")]),
      visibility,
      presence,
      leaderboards,
      amounts,
      referrals,
      digest,
    );
    this.root.setAttribute("aria-busy", String(this.saving || !s));
  }

  private async save(change: Partial<PrivacySettings>): Promise<void> {
    const token = this.deps.token();
    if (!token || !this.settings || this.saving) return;
    const before = this.settings;
    this.settings = { ...before, ...change };
    this.saving = true;
    this.render();
    try {
      // The digest is written in the language the game is played in when it is turned on.
      if (change.impactDigest) await request("PATCH", "/api/me/preferences", { token, body: { mailLocale: locale() } });
      this.settings = await accountApi.saveSettings(token, change);
      this.deps.toast.show(() => t("privacy.saved"), "success");
    } catch (err) {
      this.settings = before;
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    } finally {
      this.saving = false;
      this.render();
      const focus = "villageVisibility" in change
        ? `input[value="${change.villageVisibility === "public" ? "public" : "friends"}"]`
        : "showOnLeaderboards" in change ? "#privacy-leaderboards"
        : "showAmountsOnLeaderboards" in change ? "#privacy-amounts"
        : "shareReferrals" in change ? "#privacy-referrals"
        : "impactDigest" in change ? "#privacy-digest" : "#privacy-presence";
      this.root.querySelector<HTMLInputElement>(focus)?.focus();
    }
  }
}

function toggle(id: string, name: string, checked: boolean, disabled: boolean, label: string, hint: string): HTMLElement {
  return h("label", { class: "privacy-switch" }, [
    h("input", { type: "checkbox", id, name, role: "switch", checked, disabled }),
    h("span", { class: "switch-track", "aria-hidden": "true" }),
    h("span", { class: "privacy-text" }, [h("strong", { text: label }), h("small", { text: hint })]),
  ]);
}

function radio(value: "friends" | "public", checked: boolean, label: string, hint: string): HTMLElement {
  const id = `privacy-visibility-${value}`;
  return h("label", { class: "privacy-option", for: id }, [
    h("input", { type: "radio", id, name: "villageVisibility", value, checked }),
    h("span", { class: "privacy-text" }, [h("strong", { text: label }), h("small", { text: hint })]),
  ]);
}
