/**
 * The NGO console's page (/console): it shares the game's session (same
 * origin, the token in localStorage "hameau.token"), never creates a guest,
 * and asks someone without an account to sign in through the game first.
 */
import type { MeResponse } from "../../shared/api.ts";
import { onLocaleChange, setLocale, locale } from "../i18n.ts";
import { ApiError, api } from "../net/api.ts";
import { TOKEN_KEY } from "../net/session.ts";
import { storageGet } from "../storage.ts";
import { byId, h } from "../ui/element.ts";
import { Toast } from "../ui/toast.ts";
import { consoleApi } from "./api.ts";
import type { ConsoleContext } from "./context.ts";
import { ct } from "./i18n.ts";
import { Shell } from "./shell.ts";

const toast = new Toast(byId("toast"));

async function boot(): Promise<void> {
  const token = storageGet(TOKEN_KEY);
  let me: MeResponse | undefined;
  if (token) {
    try {
      me = await api.me(token);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) return failed(err);
    }
  }
  if (!token || !me) return signedOut("signedOut");
  if (!me.account) return signedOut("guest");

  const ctx: ConsoleContext = {
    token,
    me,
    memberships: [],
    invitations: [],
    platformAdmin: false,
    toast,
    navigate(route) {
      if (location.hash === route) shell.show();
      else location.hash = route;
    },
    async reload() {
      const mine = await consoleApi.myNgos(token);
      ctx.memberships = mine.memberships;
      ctx.invitations = mine.invitations;
      ctx.platformAdmin = mine.platformAdmin;
      shell.show();
    },
  };
  const shell = new Shell(ctx);
  try {
    const mine = await consoleApi.myNgos(token);
    ctx.memberships = mine.memberships;
    ctx.invitations = mine.invitations;
    ctx.platformAdmin = mine.platformAdmin;
  } catch (err) {
    return failed(err);
  }
  shell.show();
  onLocaleChange(() => {
    shell.retranslate();
    toast.retranslate();
  });
  document.body.classList.add("ready");
}

/** No account session on this device: say why, and send them to the game to sign in. */
function signedOut(why: "signedOut" | "guest"): void {
  const draw = () => {
    for (const el of document.querySelectorAll<HTMLElement>("[data-ct]")) el.textContent = ct(el.dataset.ct as never);
    langButtons();
    byId("view").replaceChildren(
      h("section", { class: "c-card c-signin", id: "signin-needed" }, [
        h("h2", { text: ct("signin.title") }),
        h("p", { text: ct(why === "guest" ? "signin.guest" : "signin.none") }),
        h("p", { text: ct("signin.how") }),
        h("a", { class: "c-primary c-link-button", href: "/", id: "to-game", text: ct("signin.toGame") }),
      ]),
    );
    document.title = ct("app.title");
  };
  draw();
  onLocaleChange(draw);
  document.body.classList.add("ready");
}

function failed(err: unknown): void {
  const code = err instanceof ApiError ? err.code : "internal";
  byId("view").replaceChildren(h("p", { class: "c-problem", role: "alert", id: "boot-failed", text: ct("app.failed", { code }) }));
  document.body.classList.add("ready");
}

function langButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === locale()));
    button.onclick = () => setLocale(button.dataset.lang === "fr" ? "fr" : "en");
  }
}

void boot();
