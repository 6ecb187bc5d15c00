/**
 * The emergency strip under the header: "Emergency — <NGO> needs help now:
 * <campaign>", until when, a button that shows the campaign's gifts in the
 * shop, and Dismiss (remembered on this device per campaign), with the
 * campaign's goal bar, live from its campaign room (`progress`); the bar
 * opens the campaigns panel on it. It appears
 * when the village room says an emergency campaign is running (at once when
 * published, or on joining a village), and leaves by itself when it ends.
 */
import type { EmergencyMessage } from "../../shared/messages.ts";
import type { LiveCampaign } from "../net/campaign-room.ts";
import { locale, pick, t } from "../i18n.ts";
import { storageGet, storageSet } from "../storage.ts";
import { h } from "./element.ts";
import "../styles/emergency.css";

const DISMISSED_KEY = "hameau.emergencies.dismissed";

export class EmergencyBanner {
  readonly root: HTMLElement;
  private readonly running = new Map<string, EmergencyMessage>();
  private readonly dismissed = new Set<string>(readDismissed());
  private readonly showGifts: (giftIds: string[]) => void;
  private readonly openCampaign: (campaignId: string) => void;
  private readonly live = new Map<string, LiveCampaign>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Placed just before `before` (the page's main layout). */
  constructor(before: Element, showGifts: (giftIds: string[]) => void, openCampaign: (campaignId: string) => void = () => {}) {
    this.showGifts = showGifts;
    this.openCampaign = openCampaign;
    this.root = h("aside", { class: "emergency-banner", id: "emergency-banner", role: "alert", hidden: true });
    this.root.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
      const current = this.current();
      if (!button || !current) return;
      if (button.dataset.action === "dismiss") this.dismiss(current.campaignId);
      else if (button.dataset.action === "campaign") this.openCampaign(current.campaignId);
      else this.revealGifts(current.giftIds);
    });
    before.before(this.root);
  }

  /** An emergency campaign is running (the room's `emergency` message). */
  show(message: EmergencyMessage): void {
    this.running.set(message.campaignId, message);
    this.render();
  }

  /** The campaigns whose bar the banner may show (the running emergencies not dismissed). */
  watched(): string[] {
    return [...this.running.keys()].filter((id) => !this.dismissed.has(id));
  }

  /** The live progress of an emergency campaign (its campaign room): the bar moves in place. */
  progress(p: LiveCampaign): void {
    this.live.set(p.campaignId, p);
    const bar = this.root.querySelector<HTMLElement>(`[data-progress-of="${CSS.escape(p.campaignId)}"]`);
    if (bar) bar.replaceWith(this.bar(p));
    else if (this.current()?.campaignId === p.campaignId) this.render();
  }

  private bar(p: LiveCampaign): HTMLElement {
    return h("button", {
      type: "button", class: "emergency-progress", "data-action": "campaign", "data-progress-of": p.campaignId, "aria-label": t("emergency.progress", { percent: p.percent }),
    }, [
      h("span", { class: "campaign-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.min(100, p.percent) }, [
        h("span", { class: "campaign-bar-fill", style: `width: ${Math.min(100, p.percent)}%` }),
      ]),
      h("span", { class: "emergency-percent", text: `${p.percent} %` }),
    ]);
  }

  render(): void {
    clearTimeout(this.timer);
    const now = Date.now();
    for (const [id, m] of this.running) if (Date.parse(m.endsAt) <= now) this.running.delete(id);
    const current = this.current();
    this.root.hidden = !current;
    if (!current) return this.root.replaceChildren();
    this.timer = setTimeout(() => this.render(), Math.min(Date.parse(current.endsAt) - now + 50, 2 ** 31 - 1));
    const [before = "", middle = "", after = ""] = t("emergency.text", { ngo: "\u0000", title: "\u0001" }).split(/[\u0000\u0001]/);
    const until = new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long" }).format(new Date(current.endsAt));
    this.root.replaceChildren(
      h("strong", { class: "emergency-label", text: t("emergency.label") }),
      h("p", { class: "emergency-text" }, [before, h("b", { text: current.ngoName }), middle, h("b", { text: pick(current.title) }), after]),
      h("small", { class: "emergency-until", text: t("emergency.until", { date: until }) }),
      this.live.has(current.campaignId) ? this.bar(this.live.get(current.campaignId)!) : "",
      h("button", { type: "button", class: "emergency-gifts", "data-action": "gifts", text: t("emergency.gifts") }),
      h("button", { type: "button", class: "emergency-dismiss", "data-action": "dismiss", "aria-label": t("emergency.dismiss"), text: "×" }),
    );
  }

  /** The newest running emergency not dismissed on this device. */
  private current(): EmergencyMessage | undefined {
    return [...this.running.values()].reverse().find((m) => !this.dismissed.has(m.campaignId));
  }

  private dismiss(campaignId: string): void {
    this.dismissed.add(campaignId);
    storageSet(DISMISSED_KEY, JSON.stringify([...this.dismissed].slice(-20)));
    this.render();
  }

  /** Scrolls the shop to the campaign's first gift and makes each of its gifts flash. */
  private revealGifts(giftIds: string[]): void {
    const first = giftIds.map((id) => document.querySelector<HTMLElement>(`#shop [data-gift-id="${CSS.escape(id)}"]`)).find(Boolean);
    first?.scrollIntoView({ behavior: "smooth", block: "center" });
    first?.querySelector<HTMLButtonElement>("button.add")?.focus({ preventScroll: true });
    this.showGifts(giftIds);
  }
}

function readDismissed(): string[] {
  try {
    const value: unknown = JSON.parse(storageGet(DISMISSED_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
