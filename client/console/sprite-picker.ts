/**
 * The sprite picker: the art set a gift may wear (shared/sprites.ts), each
 * shown as the game draws it (/assets/sprites/<name>.svg), as one radio group.
 */
import { GIFT_SPRITES } from "../../shared/sprites.ts";
import { h, spriteUrl } from "../ui/element.ts";
import type { FieldValue } from "./form.ts";
import { ct } from "./i18n.ts";

export function spritePicker(value: FieldValue, set: (value: FieldValue) => void, id: string): HTMLElement {
  const current = typeof value === "string" ? value : "";
  const group = h("div", { id, class: "c-sprites", role: "radiogroup", "aria-label": ct("gift.sprite") });
  for (const name of GIFT_SPRITES) {
    const radio = h("input", { type: "radio", name: `${id}-choice`, value: name, "aria-label": name });
    radio.checked = name === current;
    radio.addEventListener("change", () => radio.checked && set(name));
    group.append(h("label", { class: "c-sprite", title: name, "data-sprite": name }, [
      radio,
      h("img", { src: spriteUrl(name), alt: "", width: 40, height: 40, loading: "lazy" }),
    ]));
  }
  return group;
}
