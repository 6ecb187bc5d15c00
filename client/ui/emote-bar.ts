/**
 * The emote bar: small round buttons, one per emote of shared/messages.ts.
 * Everyone present sees the emote in a bubble above my avatar. A button
 * rests a moment after use (the room allows about one emote a second).
 */
import { EMOTES, type Emote } from "../../shared/messages.ts";
import { emoteSprite } from "../scenes/art.ts";
import { t, type MessageKey } from "../i18n.ts";
import { h, spriteUrl } from "./element.ts";

const REST_MS = 1100;

export class EmoteBar {
  readonly root: HTMLElement;
  private readonly send: (emote: Emote) => void;
  private restingUntil = 0;

  constructor(parent: HTMLElement, send: (emote: Emote) => void) {
    this.send = send;
    this.root = h("div", { class: "emote-bar", id: "emote-bar", role: "toolbar" });
    this.root.addEventListener("click", (event) => this.onClick(event));
    parent.append(this.root);
    this.render();
  }

  render(): void {
    this.root.setAttribute("aria-label", t("emotes.label"));
    this.root.replaceChildren(
      ...EMOTES.map((emote) => {
        const label = t(`emote.${emote}` as MessageKey);
        return h("button", { type: "button", class: "emote", "data-emote": emote, "aria-label": label, title: label }, [
          h("img", { src: spriteUrl(emoteSprite(emote)), alt: "", width: 26, height: 26, draggable: "false" }),
        ]);
      }),
    );
  }

  private onClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-emote]");
    const emote = button?.dataset.emote as Emote | undefined;
    if (!button || !emote || !EMOTES.includes(emote)) return;
    const now = Date.now();
    if (now < this.restingUntil) return;
    this.restingUntil = now + REST_MS;
    this.root.classList.add("resting");
    setTimeout(() => this.root.classList.remove("resting"), REST_MS);
    button.classList.remove("sent");
    void button.offsetWidth;
    button.classList.add("sent");
    this.send(emote);
  }
}
