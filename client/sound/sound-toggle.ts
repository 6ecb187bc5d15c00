/**
 * The sound toggle in the top bar (#sound-toggle in index.html): a speaker,
 * crossed out while sound is off. Its name is "Sound" ("Son"), its state
 * aria-pressed, and its tooltip says what a press does.
 */
import { t } from "../i18n.ts";
import { byId } from "../ui/element.ts";

export class SoundToggle {
  readonly button: HTMLButtonElement;

  constructor(pressed: () => void) {
    this.button = byId<HTMLButtonElement>("sound-toggle");
    this.button.addEventListener("click", pressed);
  }

  render(on: boolean): void {
    this.button.setAttribute("aria-pressed", String(on));
    this.button.title = t(on ? "sound.turnOff" : "sound.turnOn");
    const label = this.button.querySelector(".topbar-label");
    if (label) label.textContent = t("sound.label");
  }
}
