/**
 * What the owner reads over a monthly gift's item in their village ("Month 3
 * of your monthly seed bag"): the months come from GET /api/me/monthly-gifts
 * (the room state carries the stage only, which every visitor sees as the
 * item's size; months and amounts stay the donor's). Read when first needed,
 * and again when a payment of mine is heard, the item grows, or My
 * donations changed a monthly gift.
 */
import type { MonthlyGiftView } from "../../shared/monthly-gifts.ts";
import { MONTHLY_STAGES } from "../../shared/monthly-gifts.ts";
import { locale, pick, t } from "../i18n.ts";
import { monthlyApi } from "../net/monthly-api.ts";
import type { ItemView, VillageModel } from "./village-model.ts";

export interface MonthlyGrowthDeps {
  model: VillageModel;
  token(): string | undefined;
  /** True when the open village is mine. */
  isHome(): boolean;
}

export class MonthlyGrowth {
  private readonly deps: MonthlyGrowthDeps;
  private byItem = new Map<string, MonthlyGiftView>();
  private asked = false;
  private asking: Promise<void> | null = null;

  constructor(deps: MonthlyGrowthDeps) {
    this.deps = deps;
    deps.model.subscribe({
      update: (item, previous) => {
        if (item.monthlyStage !== previous.monthlyStage) this.changed();
      },
      add: (item, initial) => {
        if (!initial && item.monthlyStage > 0) this.changed();
      },
    });
  }

  /** Something about my monthly gifts may have changed: read them again. */
  changed(): void {
    this.asked = false;
    if (this.deps.isHome()) void this.load();
  }

  /** The label's line for a monthly gift's item, or null (not one, not mine, or not known yet). */
  line(item: ItemView): string | null {
    if (item.monthlyStage <= 0) return null;
    if (!this.deps.isHome()) return null;
    if (!this.asked) void this.load();
    const gift = this.byItem.get(item.id);
    const stage = t("monthly.village.stage", { stage: item.monthlyStage, stages: MONTHLY_STAGES });
    if (!gift) return stage;
    const month = t("monthly.village.month", { n: gift.monthsGiven, name: inSentence(pick(gift.giftName)) });
    return gift.status === "cancelled" ? `${month}\n${t("monthly.village.stopped")}` : `${month}\n${stage}`;
  }

  /** Months given of the item's monthly gift (tests and tooling), null while unknown. */
  monthsOf(itemId: string): number | null {
    return this.byItem.get(itemId)?.monthsGiven ?? null;
  }

  private load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return Promise.resolve();
    if (this.asking) return this.asking;
    this.asked = true;
    this.asking = monthlyApi.mine(token)
      .then((res) => {
        this.byItem = new Map(res.monthlyGifts.filter((m) => m.itemId).map((m) => [m.itemId!, m]));
      })
      .catch(() => {
        this.asked = false;
      })
      .finally(() => {
        this.asking = null;
      });
    return this.asking;
  }
}

/** "Bag of seeds" → "bag of seeds" inside an English sentence (a name like "UNICEF kit" keeps its capitals); French quotes the name as is. */
export function inSentence(name: string): string {
  if (locale() !== "en" || name.length < 2 || name[1] !== name[1]!.toLowerCase()) return name;
  return name[0]!.toLowerCase() + name.slice(1);
}
