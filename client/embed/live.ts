/**
 * /embed/live.js: a small standalone script (no Phaser, no zod) for public
 * pages, the widget page and any website. It finds every
 * `[data-campaign-live="<campaignId>"]` element and keeps its `data-live`
 * children up to date from the campaign's live feed (Server-Sent Events, on
 * the origin the script was loaded from):
 *   data-live="bar"      its width (an SVG element's width attribute, a
 *                        <progress>/<meter>'s value) = percent, capped at 100
 *   data-live="raised" | "goal" | "percent" | "donors" | "matched"   texts
 * Money and numbers follow the language of the element (its closest `lang`
 * attribute, else the page's): French or English. The root gets
 * `data-phase` (upcoming | running | ended), `data-matched` ("yes" when
 * a match counts) and `data-live-state` (connecting | live | lost); its
 * elements marked `data-show-matched` are hidden unless a match counts.
 * One EventSource per campaign however many elements show it; EventSource
 * reconnects by itself, and after a refusal (404, 429) the script tries
 * again later, waiting longer each time.
 */
import {
  barPercent, type CampaignLiveSnapshot, isLiveSnapshot, LIVE_CLOSED_EVENT, liveLocale, livePath, liveTexts,
} from "../../shared/campaign-live.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Feed {
  source: EventSource | null;
  latest: CampaignLiveSnapshot | null;
  /** Wait before the next attempt after a refusal (ms). */
  backoff: number;
}

const script = document.currentScript as HTMLScriptElement | null;
const origin = script?.src ? new URL(script.src, location.href).origin : location.origin;
const feeds = new Map<string, Feed>();

function rootsOf(campaignId: string): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>("[data-campaign-live]")].filter((el) => el.dataset.campaignLive === campaignId);
}

function setBar(el: Element, percent: number): void {
  if (el instanceof HTMLProgressElement || el instanceof HTMLMeterElement) el.value = percent;
  else if (el instanceof SVGElement) el.setAttribute("width", `${percent}%`);
  else if (el instanceof HTMLElement) el.style.width = `${percent}%`;
  const bar = el.closest("[role=progressbar]");
  if (bar) {
    bar.setAttribute("aria-valuenow", String(percent));
    bar.setAttribute("aria-valuetext", `${percent}%`);
  }
}

function show(root: HTMLElement, s: CampaignLiveSnapshot): void {
  const texts = liveTexts(s, liveLocale(root.closest("[lang]")?.getAttribute("lang") ?? document.documentElement.lang));
  root.dataset.phase = s.phase;
  const matched = (s.matchedCents ?? 0) > 0;
  root.dataset.matched = matched ? "yes" : "no";
  for (const el of root.querySelectorAll<HTMLElement>("[data-show-matched]")) el.hidden = !matched;
  for (const el of root.querySelectorAll("[data-live]")) {
    const field = el.getAttribute("data-live");
    if (field === "bar") setBar(el, barPercent(s));
    else if (field && field in texts && el.textContent !== texts[field as keyof typeof texts]) el.textContent = texts[field as keyof typeof texts];
  }
}

function setState(campaignId: string, state: "connecting" | "live" | "lost"): void {
  for (const root of rootsOf(campaignId)) root.dataset.liveState = state;
}

function connect(campaignId: string, feed: Feed): void {
  const source = new EventSource(origin + livePath(campaignId));
  feed.source = source;
  setState(campaignId, "connecting");
  source.onmessage = (e: MessageEvent<string>) => {
    let value: unknown;
    try {
      value = JSON.parse(e.data);
    } catch {
      return;
    }
    if (!isLiveSnapshot(value) || value.campaignId !== campaignId) return;
    feed.latest = value;
    feed.backoff = 0;
    for (const root of rootsOf(campaignId)) show(root, value);
    setState(campaignId, "live");
  };
  // The campaign is no longer public: the values shown stay, nothing more will come.
  source.addEventListener(LIVE_CLOSED_EVENT, () => {
    source.close();
    setState(campaignId, "lost");
  });
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED) {
      setState(campaignId, "connecting");
      return;
    }
    // Refused (404, 429…) or the network failed for good: try again later, waiting longer each time.
    setState(campaignId, "lost");
    feed.backoff = Math.min(300_000, Math.max(10_000, feed.backoff * 2));
    setTimeout(() => connect(campaignId, feed), feed.backoff * (0.75 + Math.random() / 2));
  };
}

function scan(): void {
  for (const root of document.querySelectorAll<HTMLElement>("[data-campaign-live]")) {
    const id = root.dataset.campaignLive ?? "";
    if (!ID.test(id)) continue;
    const feed = feeds.get(id);
    if (feed) {
      if (feed.latest) show(root, feed.latest);
      continue;
    }
    const fresh: Feed = { source: null, latest: null, backoff: 0 };
    feeds.set(id, fresh);
    connect(id, fresh);
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan, { once: true });
else scan();
// Elements added later (a page that renders on the client) can ask for a new look.
(window as Window & { hameauLive?: { scan(): void } }).hameauLive = { scan };
