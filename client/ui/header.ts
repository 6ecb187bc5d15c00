/**
 * The header bar: the title, the village's owner and the FR/EN switch, plus
 * the static texts of index.html marked with data-i18n.
 */
import type { Locale } from "../../shared/money.ts";
import { locale, setLocale, t, type MessageKey } from "../i18n.ts";
import { byId, h, spriteUrl } from "./element.ts";

export class Header {
  private playerName = "";
  private barnCount = 0;

  constructor() {
    for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) {
      button.addEventListener("click", () => setLocale(button.dataset.lang === "fr" ? "fr" : "en"));
    }
    // The logo is served by the game server with the rest of the art (not bundled).
    document.querySelector(".brand-logo")?.replaceChildren(h("img", { src: spriteUrl("house"), alt: "" }));
    this.render();
  }

  setPlayer(name: string): void {
    this.playerName = name;
    this.render();
  }

  setBarn(count: number): void {
    this.barnCount = count;
    this.render();
  }

  render(): void {
    for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
      el.textContent = t(el.dataset.i18n as MessageKey);
    }
    for (const el of document.querySelectorAll<HTMLElement>("[data-i18n-label]")) {
      el.setAttribute("aria-label", t(el.dataset.i18nLabel as MessageKey));
    }
    const current: Locale = locale();
    for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === current));
    }
    const name = byId("player-name");
    // "Le village de <name>": the words around the name may be hidden on phones.
    const [before = "", after = ""] = t("header.village", { name: "\u0000" }).split("\u0000");
    name.replaceChildren(
      h("span", { class: "player-affix", text: before }),
      h("strong", { text: this.playerName }),
      h("span", { class: "player-affix", text: after }),
    );
    name.hidden = !this.playerName;
    const barn = byId("barn");
    barn.textContent = t("village.barn", { count: this.barnCount });
    barn.hidden = this.barnCount === 0;
    document.title = `${t("app.title")} — ${t("app.tagline")}`;
  }
}
