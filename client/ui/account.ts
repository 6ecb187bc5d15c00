/**
 * The account dialog (<dialog id="account">), opened from the header.
 *
 * - A guest sees why an account helps, "Create an account" (name and email:
 *   the password is chosen from the mailed link; the guest keeps their village
 *   when the link is opened in this browser) and "I already have an account"
 *   (on another device: this device then plays the account's village instead
 *   of its guest one), with "Forgot password?", which mails a reset link.
 * - A mailed link (confirm a sign-up, reset a password: net/account-link.ts)
 *   opens the dialog on the form that sets the password.
 * - An account sees its name and email, "Sign out" and the privacy settings.
 * - Both see their data (export, deletion: account-data.ts).
 *
 * Changing who plays reloads the page with the new token (restartAs). Signing
 * out revokes the session, then the device starts again as a new guest, the
 * way a first visit does: the game always has a village to show, and the
 * account's village waits for the next sign-in.
 */
import type { MeResponse } from "../../shared/api.ts";
import { restartAs } from "../game/restart.ts";
import { errorText, locale, t } from "../i18n.ts";
import { ApiError, api } from "../net/api.ts";
import type { Session } from "../net/session.ts";
import { type AccountLink, completeAccountLink } from "../net/account-link.ts";
import { accountApi } from "../net/social-api.ts";
import { CredentialsForm } from "./account-forms.ts";
import { PrivacySettingsPanel } from "./account-privacy.ts";
import { byId, h } from "./element.ts";
import { SheetDialog } from "./sheet-dialog.ts";

export interface AccountDeps {
  session(): Session | undefined;
}

/** Extra parts of the dialog (e.g. data export and deletion), shown to guests and accounts, last. */
export interface AccountSection {
  readonly root: HTMLElement;
  render(): void;
  /** Called each time the dialog opens for an account. */
  load?(me: MeResponse): void;
}

export class AccountDialog {
  private readonly sheet: SheetDialog;
  private readonly deps: AccountDeps;
  private readonly opener: HTMLButtonElement;
  private readonly signUp: CredentialsForm;
  private readonly signIn: CredentialsForm;
  private readonly forgot: CredentialsForm;
  private forgotOpen = false;
  /** The mailed link the page was opened with, until its password is set or the dialog closes. */
  private link: { value: AccountLink; form: CredentialsForm } | null = null;
  private readonly privacy: PrivacySettingsPanel;
  private readonly sections: AccountSection[] = [];
  private me: MeResponse | null = null;
  private loadError: string | null = null;
  private signingOut = false;
  /** Why the dialog was opened for a guest (a friend's invite link, a friends-only action). */
  private reason: "invite" | "friends" | "monthly" | null = null;
  /** Who sent the invite link the page was opened with, once the server said (never for a deleted or blocked inviter). */
  private inviter: string | null = null;

  constructor(dialog: HTMLDialogElement, deps: AccountDeps) {
    this.deps = deps;
    this.sheet = new SheetDialog(dialog, "account.title", () => {
      this.signIn.reset();
      this.forgot.reset();
      this.forgotOpen = false;
      if (this.link) {
        this.link = null;
        this.render();
      }
    });
    this.opener = byId<HTMLButtonElement>("open-account");
    this.opener.addEventListener("click", () => this.open());
    this.signUp = new CredentialsForm({
      kind: "signup", title: "account.signup.title", lead: "account.signup.lead", fields: ["name", "email"],
      submit: "account.signup.submit", busy: "account.signup.busy",
      send: async (values) => {
        await accountApi.signUp(this.deps.session()?.token, { name: values.name, email: values.email, locale: locale() });
        // Nothing changes here until the mailed link is opened: the guest plays on meanwhile.
        this.signUp.reset();
        this.sheet.toast.show(() => t("signup.checkInbox", { email: values.email }), "success", { sticky: true });
      },
    });
    this.signIn = new CredentialsForm({
      kind: "signin", title: "account.signin.title", lead: "account.signin.lead", notice: "account.signin.guestNotice",
      fields: ["email", "password"], submit: "account.signin.submit", busy: "account.signin.busy",
      send: async (values) => {
        const opened = await accountApi.signIn({ email: values.email, password: values.password });
        const guest = this.deps.session()?.token;
        // The guest token on this device is dropped: revoke it rather than leave it working.
        if (guest) await accountApi.signOut(guest).catch(() => undefined);
        restartAs(opened.token, "signedIn");
        return "restarting";
      },
      after: () => [
        h("p", { class: "account-forgot" }, [
          h("button", {
            type: "button", id: "forgot-open", class: "link-button", "aria-expanded": this.forgotOpen ? "true" : "false",
            "aria-controls": "forgot-form", text: t("account.forgot.open"),
          }),
        ]),
        this.forgotOpen ? this.forgot.root : null,
      ],
    });
    this.forgot = new CredentialsForm({
      kind: "forgot", title: "account.forgot.title", lead: "account.forgot.lead", fields: ["email"],
      submit: "account.forgot.submit", busy: "account.forgot.busy",
      send: async (values) => {
        await accountApi.requestPasswordReset({ email: values.email, locale: locale() });
        this.forgot.reset();
        this.forgotOpen = false;
        this.render();
        this.sheet.toast.show(() => t("account.forgot.sent", { email: values.email }), "success", { sticky: true });
      },
    });
    this.privacy = new PrivacySettingsPanel({ token: () => this.deps.session()?.token, toast: this.sheet.toast });
    this.sheet.body.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("#signout")) void this.signOut();
      if ((event.target as HTMLElement).closest("#forgot-open")) {
        this.forgotOpen = !this.forgotOpen;
        this.render();
        if (this.forgotOpen) this.sheet.dialog.querySelector<HTMLInputElement>("#forgot-email")?.focus();
      }
    });
    this.render();
  }

  /** Adds a part to the signed-in view (data export and deletion live in their own file). */
  addSection(section: AccountSection): void {
    this.sections.push(section);
    this.render();
  }

  get isOpen(): boolean {
    return this.sheet.isOpen;
  }

  /** The dialog's own toast (the page's one sits under the modal). */
  get toast() {
    return this.sheet.toast;
  }

  /** Opens the dialog; a reason tells a guest why an account is needed. */
  open(reason: "invite" | "friends" | "monthly" | null = null): void {
    this.reason = reason;
    if (reason !== "invite") this.inviter = null;
    this.render();
    this.sheet.open();
    if (this.deps.session()?.account) void this.load();
    else this.sheet.dialog.querySelector<HTMLInputElement>("#signup-name")?.focus();
  }

  close(): void {
    this.sheet.close();
  }

  /** Opens the dialog at the privacy settings (a guest gets the sign-up form: the settings are an account's). */
  openPrivacy(): void {
    this.open();
    if (!this.deps.session()?.account) return;
    this.privacy.whenLoaded(() => this.sheet.dialog.querySelector<HTMLElement>("#privacy-digest")?.scrollIntoView({ block: "center" }));
  }

  /** Names who sent the invite link ("Alice invited you to their village"), as text: nothing is read as markup. */
  setInviter(name: string | null): void {
    this.inviter = name;
    if (this.reason === "invite" && this.isOpen && !this.link && !this.deps.session()?.account) this.render();
  }

  /** Opens the dialog on the form that sets the password of a mailed link. */
  openLink(link: AccountLink): void {
    const kind = link.kind;
    const form: CredentialsForm = new CredentialsForm({
      kind, title: `account.${kind}.title`, lead: `account.${kind}.lead`, fields: kind === "confirm" ? ["name", "password"] : ["password"],
      submit: `account.${kind}.submit`, busy: `account.${kind}.busy`,
      send: async (values) => {
        const before = this.deps.session();
        const opened = await completeAccountLink(link, values, before?.token);
        // A guest left on this device (its village did not come with the link) is dropped, as on sign-in.
        if (before && before.player.id !== opened.player.id) await accountApi.signOut(before.token).catch(() => undefined);
        restartAs(opened.token, kind === "reset" ? "passwordReset" : before?.player.id === opened.player.id ? "signedUp" : "accountReady");
        return "restarting";
      },
    });
    this.link = { value: link, form };
    this.reason = null;
    this.render();
    this.sheet.open();
    this.sheet.dialog.querySelector<HTMLInputElement>(`#${kind}-password`)?.focus();
    // A confirmation shows the name it was made with; whoever opened the link may change it.
    if (kind === "confirm") {
      accountApi.previewConfirmation({ token: link.token }).then(
        (preview) => {
          if (this.link?.form === form) form.prefill({ name: preview.name });
          this.sheet.dialog.querySelector<HTMLInputElement>(`#${kind}-password`)?.focus();
        },
        (err: unknown) => {
          if (this.link?.form === form) form.showProblem(err instanceof ApiError ? err.code : "internal");
        },
      );
    }
  }

  render(): void {
    const session = this.deps.session();
    this.sheet.setTitle(session && !session.account ? "account.titleGuest" : "account.title");
    this.opener.hidden = !session;
    const label = this.opener.querySelector(".topbar-label");
    if (label) label.textContent = t(session?.account ? "account.open.account" : "account.open.guest");
    this.opener.setAttribute("aria-label", t(session?.account ? "account.open.account" : "account.open.guest"));
    if (!session) return;
    if (this.link) this.renderLink(this.link.form);
    else if (session.account) this.renderAccount(session);
    else this.renderGuest();
  }

  private renderLink(form: CredentialsForm): void {
    this.sheet.setTitle("account.title");
    form.render();
    this.sheet.body.replaceChildren(form.root);
    this.sheet.body.classList.add("account-body");
  }

  private renderGuest(): void {
    this.signUp.render();
    this.forgot.render();
    this.signIn.render();
    const inviter = this.reason === "invite" ? this.inviter : null;
    const why = inviter !== null
      ? t("account.why.inviteFrom", { name: inviter })
      : t(this.reason === "invite" ? "account.why.invite" : this.reason === "friends" ? "account.why.friends" : this.reason === "monthly" ? "account.why.monthly" : "account.why.guest");
    for (const section of this.sections) section.render();
    this.sheet.body.replaceChildren(
      h("p", { class: `account-why${this.reason ? " highlighted" : ""}`, id: "account-why", text: why }),
      this.signUp.root,
      this.signIn.root,
      ...this.sections.map((s) => s.root),
    );
    this.sheet.body.classList.add("account-body");
  }

  private renderAccount(session: Session): void {
    this.privacy.render();
    for (const section of this.sections) section.render();
    const who = h("section", { class: "receipts-part account-part who", "aria-labelledby": "who-title" }, [
      h("h3", { id: "who-title", text: t("account.who.title") }),
      h("dl", { class: "account-facts" }, [
        h("dt", { text: t("account.field.name") }),
        h("dd", { id: "account-name", text: this.me?.player.name ?? session.player.name }),
        h("dt", { text: t("account.field.email") }),
        h("dd", { id: "account-email", text: this.me?.account?.email ?? session.account?.email ?? "" }),
      ]),
      this.loadError ? h("p", { class: "receipts-problem", role: "alert", text: errorText(this.loadError) }) : null,
      h("p", { class: "receipts-lead", text: t("account.signout.explain") }),
      h("button", {
        type: "button", id: "signout", class: "secondary-button", disabled: this.signingOut,
        "aria-busy": this.signingOut ? "true" : undefined, text: t(this.signingOut ? "account.signout.busy" : "account.signout"),
      }),
    ]);
    this.sheet.body.replaceChildren(who, this.privacy.root, ...this.sections.map((s) => s.root));
    this.sheet.body.classList.add("account-body");
  }

  /** Reads the account and its settings (each time the dialog opens). */
  private async load(): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token) return;
    this.loadError = null;
    this.privacy.set(null);
    try {
      this.me = await api.me(token);
      this.privacy.set(this.me.settings);
      for (const section of this.sections) section.load?.(this.me);
    } catch (err) {
      this.loadError = err instanceof ApiError ? err.code : "internal";
    }
    this.render();
  }

  private async signOut(): Promise<void> {
    const token = this.deps.session()?.token;
    if (!token || this.signingOut) return;
    this.signingOut = true;
    this.render();
    try {
      await accountApi.signOut(token);
    } catch (err) {
      // Already gone (expired, revoked elsewhere): signing out here is still right.
      if (!(err instanceof ApiError && err.status === 401)) {
        this.signingOut = false;
        this.render();
        this.sheet.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
        return;
      }
    }
    restartAs(null, "signedOut");
  }
}
