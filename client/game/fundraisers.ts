/**
 * Players' fundraisers in the game, wired in one place so main.ts stays small:
 * the sign in the village (scenes/fundraiser-sign.ts, from the room's state),
 * the dialog it opens (ui/fundraiser-dialog.ts), "My fundraisers" in the
 * account dialog, "Start my fundraiser" on each running campaign's card in the
 * campaigns panel, and a `/?fundraiser=<id>` link the page was opened with.
 * Giving through one puts the gift in the basket, which carries the
 * fundraiser's id to checkout.
 */
import type * as Phaser from "phaser";
import type { CatalogGift } from "../../shared/api.ts";
import type { SignFacts } from "../../shared/fundraisers.ts";
import { t } from "../i18n.ts";
import type { Session } from "../net/session.ts";
import { FundraiserSignLayer } from "../scenes/fundraiser-sign.ts";
import { type CampaignCardAction, campaignCardActions } from "../ui/campaign-card.ts";
import type { AccountDialog } from "../ui/account.ts";
import type { BasketPanel } from "../ui/basket.ts";
import { byId } from "../ui/element.ts";
import { FundraiserDialog } from "../ui/fundraiser-dialog.ts";
import { FundraiserPart } from "../ui/fundraiser-part.ts";
import type { Toast } from "../ui/toast.ts";
import type { HameauHooks } from "./test-hooks.ts";
import type { VillageModel } from "./village-model.ts";

const PARAM = "fundraiser";
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FundraiserDeps {
  model: VillageModel;
  scene: Phaser.Scene;
  session(): Session | undefined;
  account: AccountDialog;
  basket: BasketPanel;
  gifts(): ReadonlyMap<string, CatalogGift>;
  toast: Toast;
  hooks: HameauHooks & { sign?: () => unknown };
}

export interface Fundraisers {
  readonly dialog: FundraiserDialog;
  render(): void;
  /** The village scene has drawn its first state: the sign joins it. */
  sceneReady(): void;
  /** The session is open: a `/?fundraiser=<id>` link opens it now. */
  started(): void;
  /** Start my fundraiser, for this campaign if given (the campaigns panel's cards). */
  start(campaignId?: string): void;
}

export function installFundraisers(deps: FundraiserDeps): Fundraisers {
  const linked = captureLink();
  let sign: FundraiserSignLayer | undefined;
  const part = new FundraiserPart({
    session: deps.session,
    show: (id) => void dialog.show(id),
    edit: (f) => void dialog.openForm(f),
  });
  const dialog = new FundraiserDialog(byId<HTMLDialogElement>("fundraiser"), {
    session: deps.session,
    onSale: deps.gifts,
    give: (fundraiser, giftId) => {
      if (!deps.gifts().has(giftId)) return;
      deps.basket.setFundraiser({ id: fundraiser.id, title: fundraiser.title });
      deps.basket.add(giftId);
      const basket = document.getElementById("basket");
      basket?.scrollIntoView({ behavior: "smooth", block: "nearest" });
      document.querySelector<HTMLButtonElement>("#give")?.focus({ preventScroll: true });
    },
    needAccount: () => deps.account.open(),
    changed: (f) => {
      void reloadMine();
      deps.toast.show(() => t(f.status === "closed" ? "fundraiser.closedToast" : "fundraiser.savedToast"), "success");
    },
  });
  deps.account.addSection(part);
  // On each running campaign's card in the campaigns panel: start mine, or open the one I have.
  const cardAction: CampaignCardAction = {
    id: "fundraiser",
    label: (campaign) => t(part.openFor(campaign.id) ? "fundraiser.card.mine" : "fundraiser.mine.start"),
    visible: (ctx) => ctx.campaign.phase === "running",
    run: (ctx) => {
      const mine = part.openFor(ctx.campaign.id);
      if (mine && mine.status === "active") void dialog.show(mine.id);
      else if (mine) void dialog.openForm(mine);
      else void dialog.openForm(null, ctx.campaign.id);
    },
  };
  campaignCardActions.register(cardAction);
  /** My fundraisers read again; the cards' labels follow (registering again re-renders open cards). */
  const reloadMine = async () => {
    await part.reload();
    campaignCardActions.register(cardAction);
  };
  deps.hooks.sign = () => sign?.inspect() ?? null;
  return {
    dialog,
    render() {
      part.render();
      dialog.render();
      sign?.render();
    },
    sceneReady() {
      // The sign joins the village scene once it has drawn (the scene itself knows nothing of it).
      sign ??= new FundraiserSignLayer(deps.scene, {
        model: deps.model,
        open: (s: SignFacts) => void dialog.show(s.id),
        percentText: (s: SignFacts) => t("fundraiser.percent", { percent: s.percent }),
      });
    },
    started() {
      if (linked) void dialog.show(linked);
      void reloadMine();
    },
    start(campaignId) {
      void dialog.openForm(null, campaignId ?? null);
    },
  };
}

/** Takes `?fundraiser=<id>` out of the address (so a reload does not open it again); the id, or null. */
function captureLink(): string | null {
  const url = new URL(location.href);
  const id = url.searchParams.get(PARAM);
  if (id === null) return null;
  url.searchParams.delete(PARAM);
  history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
  return ID.test(id) ? id : null;
}
