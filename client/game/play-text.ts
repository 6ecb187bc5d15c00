/**
 * What the village says about its things, in the player's language: crop and
 * decoration names, time left, and the label shown on hover or tap (a gift's
 * impact and giver, a crop's growth and, for the owner, who helped).
 */
import type { CatalogGift } from "../../shared/api.ts";
import { DECORATIONS, isDecorationId } from "../../shared/decorations.ts";
import { CROPS, isCropKind, msUntilRipe } from "../../shared/farming.ts";
import { locale, pick, t } from "../i18n.ts";
import { MILESTONE_DECORATION_PREFIX, milestoneTitleOf } from "./milestone-titles.ts";
import type { ItemView, VillageModel } from "./village-model.ts";

export function cropName(kind: string): string {
  if (!isCropKind(kind)) return kind;
  const info = CROPS[kind];
  return locale() === "fr" ? info.nameFr : info.nameEn;
}

export function decorationName(id: string): string {
  if (id.startsWith(MILESTONE_DECORATION_PREFIX)) {
    const title = milestoneTitleOf(id);
    return title ? `${t("decorations.milestone")} · ${pick(title)}` : t("decorations.milestone");
  }
  if (!isDecorationId(id)) return id;
  const info = DECORATIONS[id];
  return locale() === "fr" ? info.nameFr : info.nameEn;
}

/** "45 s", "2 min", "1 min 20 s" (rounded up to the second). */
export function duration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m === 0) return t("time.seconds", { s });
  if (s === 0) return t("time.minutes", { m });
  return t("time.minutesSeconds", { m, s });
}

/** A countdown to a seasonal item's leaving: "3 d 4 h", "5 h 12 min", or under an hour as duration() says it. */
export function countdown(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes < 60) return duration(ms);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("time.hoursMinutes", { h: hours, m: minutes % 60 });
  return t("time.daysHours", { d: Math.floor(hours / 24), h: hours % 24 });
}

/** A thing's name for toasts: the gift, decoration or crop it is. */
export function itemName(item: ItemView, gifts: ReadonlyMap<string, CatalogGift>): string {
  if (item.kind === "crop") return cropName(item.cropKind);
  if (item.kind === "decoration") return decorationName(item.decorationId);
  const gift = gifts.get(item.giftId);
  return gift ? pick(gift.name) : item.sprite;
}

export interface DescribeContext {
  model: VillageModel;
  gifts: ReadonlyMap<string, CatalogGift>;
  /** True when I own the village shown. */
  isOwner: boolean;
  /** A donated gift's fund trail line, once known (client/game/fund-trail.ts). */
  trail?: (item: ItemView) => string | null;
  /** A monthly gift's growth line, for its owner (client/game/monthly-growth.ts). */
  monthly?: (item: ItemView) => string | null;
}

/** The label over a thing (several lines), or null for plain decor. */
export function describeItem(item: ItemView, ctx: DescribeContext): string | null {
  if (item.kind === "crop") return describeCrop(item, ctx);
  if (item.kind === "decoration") return decorationName(item.decorationId);
  const gift = item.donated ? ctx.gifts.get(item.giftId) : undefined;
  if (!gift) return null;
  const lines = [`♥ ${pick(gift.name)}`, pick(gift.impact)];
  if (item.fromName) lines.push(t("gift.from", { name: item.fromName }));
  const monthly = ctx.monthly?.(item);
  if (monthly) lines.push(monthly);
  const trail = ctx.trail?.(item);
  if (trail) lines.push(trail);
  return lines.join("\n");
}

function describeCrop(item: ItemView, ctx: DescribeContext): string | null {
  const crop = ctx.model.cropOf(item);
  if (!crop) return null;
  const name = cropName(crop.kind);
  const left = msUntilRipe(crop, ctx.model.now());
  const lines = [
    left === 0
      ? ctx.isOwner ? t("crop.ripe", { name, coins: CROPS[crop.kind].coins }) : t("crop.ripeVisitor", { name })
      : t("crop.growing", { name, time: duration(left) }),
  ];
  if (ctx.isOwner) {
    const helpers = ctx.model.ownerView?.helpers[item.id] ?? [];
    if (helpers.length > 0) lines.push(t("crop.helpers", { names: helpers.join(", ") }));
    else if (item.helperCount > 0) lines.push(t("crop.helpersCount", { count: item.helperCount }));
  }
  return lines.join("\n");
}
