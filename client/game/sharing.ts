/**
 * Sharing in the game: the share kit (client/ui/share-kit.ts) opened on my
 * village (the top bar's Share), after a gift (the thanks card: the campaign
 * the gift counts for, else the gift itself) and on a campaign (a Share button
 * on each card of the campaigns panel); and what my
 * links brought, kept live (client/game/referral-counts.ts) with a toast when
 * a new gift comes through one of them.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { PublicCampaign, PublicCampaignListResponse } from "../../shared/campaigns.ts";
import type { MyReferralsResponse } from "../../shared/referrals.ts";
import { pick, t } from "../i18n.ts";
import { request } from "../net/api.ts";
import type { Session } from "../net/session.ts";
import { campaignCardActions } from "../ui/campaign-card.ts";
import { byId } from "../ui/element.ts";
import { ShareKit } from "../ui/share-kit.ts";
import type { Toast } from "../ui/toast.ts";
import { ReferralCounts } from "./referral-counts.ts";

export interface SharingDeps {
  session(): Session | undefined;
  toast: Toast;
  /** My village's name as the room has it ("" before it is known). */
  villageName(): string;
  gifts(): ReadonlyMap<string, CatalogGift>;
}

export interface Sharing {
  readonly kit: ShareKit;
  readonly counts: ReferralCounts;
  shareCampaign(campaign: PublicCampaign): void;
  shareVillage(): void;
  /** After a gift: the running campaign one of these gifts counts for, else the first gift. */
  shareAfterGift(giftIds: string[]): Promise<void>;
  /** The village room pushed my counts. */
  pushed(counts: MyReferralsResponse): void;
  render(): void;
}

export function installSharing(deps: SharingDeps): Sharing {
  const counts = new ReferralCounts(() => deps.session()?.token);
  const kit = new ShareKit(byId<HTMLDialogElement>("share"), { referrals: counts, origin: () => location.origin });
  const open = byId<HTMLButtonElement>("open-share");

  const shareCampaign = (c: PublicCampaign) =>
    kit.open({ target: { kind: "campaign", id: c.id }, subject: { kind: "campaign", title: pick(c.title), ngoName: c.ngo.name }, messages: c.shareMessages });
  const shareVillage = () => {
    const s = deps.session();
    if (!s) return;
    kit.open({ target: { kind: "village", id: s.villageId }, subject: { kind: "village", title: deps.villageName() || s.player.name, ngoName: "" } });
  };
  open.addEventListener("click", shareVillage);
  // A Share button on every campaign card of the campaigns panel (its extension point).
  campaignCardActions.register({
    id: "share",
    label: () => t("share.campaign"),
    visible: (ctx) => ctx.session !== undefined && ctx.campaign.phase !== "upcoming",
    run: (ctx) => shareCampaign(ctx.campaign),
  });

  counts.subscribe((now, before) => {
    if (!before) return;
    for (const c of now.campaigns) {
      const was = before.campaigns.find((b) => b.campaignId === c.campaignId)?.gifts ?? 0;
      if (c.gifts <= was) continue;
      const message = () => t("share.broughtToast", { title: pick(c.title), n: c.gifts });
      if (kit.isOpen) kit.notice(message);
      else deps.toast.show(message, "success", { ms: 7000 });
    }
  });

  return {
    kit,
    counts,
    shareCampaign,
    shareVillage,
    async shareAfterGift(giftIds) {
      const list = await request<PublicCampaignListResponse>("GET", "/api/campaigns").catch(() => null);
      const campaign = list?.campaigns.find((c) => c.phase === "running" && c.gifts.some((g) => giftIds.includes(g.id)));
      if (campaign) return shareCampaign(campaign);
      const gift = giftIds.map((id) => deps.gifts().get(id)).find(Boolean);
      if (gift) kit.open({ target: { kind: "gift", id: gift.id }, subject: { kind: "gift", title: pick(gift.name), ngoName: gift.ngo.name } });
    },
    pushed: (m) => counts.set(m),
    render() {
      open.hidden = !deps.session();
      if (kit.isOpen) kit.render();
    },
  };
}
