/**
 * Hameau's browser client: wires the session, the catalog, the village room,
 * the Phaser scenes and the DOM panels together.
 */
import * as Phaser from "phaser";
import type { CatalogGift } from "../shared/api.ts";
import type { BasketLineInput } from "../shared/basket.ts";
import type { RoomErrorMessage } from "../shared/messages.ts";
import { Arrivals } from "./game/arrivals.ts";
import { CatalogSync } from "./game/catalog-sync.ts";
import { ItemTrails } from "./game/fund-trail.ts";
import { showRestored, showWithdrawn } from "./game/gift-notices.ts";
import { MonthlyGrowth } from "./game/monthly-growth.ts";
import { monthlyReturn } from "./game/monthly-return.ts";
import { handleOrderReturn, returningOrder } from "./game/order-return.ts";
import { PaidCheckouts } from "./game/paid-checkouts.ts";
import { captureReferral, keptReferral } from "./game/referral-link.ts";
import { watchOverlayInsets } from "./game/overlay-insets.ts";
import { Play } from "./game/play.ts";
import { ProgressHud } from "./game/progress-hud.ts";
import { installFundraisers } from "./game/fundraisers.ts";
import { installSharing } from "./game/sharing.ts";
import { installSocial } from "./game/social.ts";
import { Tutorial } from "./game/tutorial.ts";
import { TutorialReplayPart } from "./ui/tutorial-replay.ts";
import { installHooks } from "./game/test-hooks.ts";
import { installCues } from "./sound/cues.ts";
import { Sound } from "./sound/sound.ts";
import { VillageModel } from "./game/village-model.ts";
import { errorText, locale, onLocaleChange, t } from "./i18n.ts";
import { ApiError, api, orderReceiptPath, request } from "./net/api.ts";
import { downloadPdf } from "./net/download.ts";
import { patiently } from "./net/patiently.ts";
import { openSession, type Session } from "./net/session.ts";
import { VillageConnection, VisitRefused } from "./net/village-room.ts";
import { BootScene } from "./scenes/BootScene.ts";
import { VillageScene } from "./scenes/VillageScene.ts";
import { BasketPanel, type GiftDestination } from "./ui/basket.ts";
import { DedicationPart, dedicationNews, friendsOf } from "./ui/dedication-part.ts";
import type { DedicationInput } from "../shared/dedications.ts";
import { byId } from "./ui/element.ts";
import { CampaignWatch } from "./net/campaign-room.ts";
import { CampaignsPanel } from "./ui/campaigns-panel.ts";
import { EmergencyBanner } from "./ui/emergency-banner.ts";
import { FeedPanel } from "./ui/feed.ts";
import { MonthlyDialog } from "./ui/monthly-dialog.ts";
import { Header } from "./ui/header.ts";
import { MyImpactDialog } from "./ui/my-impact.ts";
import { ReceiptsDialog } from "./ui/receipts.ts";
import { ShopPanel } from "./ui/shop.ts";
import { ThanksCard } from "./ui/thanks.ts";
import { Toast } from "./ui/toast.ts";

// Before anything reads the address: a shared link's referral is kept, and leaves the address bar.
captureReferral();
const model = new VillageModel();
const hooks = installHooks(model, () => scene);
const toast = new Toast(byId("toast"));
// Off for a new player; nothing before a gesture (client/sound/).
const sound = new Sound();
hooks.sound = sound;
const header = new Header();
const thanks = new ThanksCard(byId("thanks"), downloadOrderReceipt, (giftIds) => {
  thanks.hide();
  void sharing.shareAfterGift(giftIds);
}, async (orderId) => (session ? ((await api.order(session.token, orderId)).matches ?? []) : []));
/** The shop's catalog, live; `gifts` also keeps gifts that left the shop, for the villages that own them. */
const catalogSync = new CatalogSync({ catalog: () => api.catalog(), gift: (id) => api.gift(id), onSale: showCatalog });
const gifts: ReadonlyMap<string, CatalogGift> = catalogSync.known;
/** The gifts on sale now, by id (a fundraiser's Give buttons and a campaign card's "Add to basket" offer these). */
let onSale: ReadonlyMap<string, CatalogGift> = new Map();
let session: Session | undefined;
let connection: VillageConnection | undefined;
const receipts = new ReceiptsDialog(byId<HTMLDialogElement>("receipts"), { token: () => session?.token, monthlyChanged: () => growth.changed() });
const openReceipts = byId<HTMLButtonElement>("open-receipts");
openReceipts.addEventListener("click", () => receipts.open());
const feed = new FeedPanel(byId<HTMLDialogElement>("feed"), { session: () => session });
const impact = new MyImpactDialog(byId<HTMLDialogElement>("impact"), { session: () => session, openPrivacy: () => social.account.openPrivacy() });
const trails = new ItemTrails({ token: () => session?.token, villageId: () => model.villageId });
/** My monthly gifts' months, for their items' labels in my village (the room carries the stage only). */
const growth = new MonthlyGrowth({ model, token: () => session?.token, isHome: () => session !== undefined && model.ownerId === session.player.id });
const social = installSocial({ session: () => session, toast, visit: (villageId) => void visit(villageId) });
const sharing = installSharing({
  session: () => session, toast, villageName: () => (model.ownerId === session?.player.id ? model.name : ""), gifts: () => gifts,
  account: { addSection: (s) => social.account.addSection(s), close: () => social.account.close() },
});

// Lines whose gift left the shop are taken out with one message (not before the catalog and the basket's checkouts are known).
const dedication = new DedicationPart({ friends: friendsOf(() => session) });
const basket = new BasketPanel(byId("basket"), give, () => toast.show(() => t("basket.giftGone"), "error"), dedication);
const paidCheckouts = new PaidCheckouts({ basket, token: () => session?.token, toast });
const monthly = new MonthlyDialog(byId<HTMLDialogElement>("monthly"), {
  session: () => session,
  needAccount: () => social.account.open("monthly"),
  go: (url) => location.assign(url),
});
const shop = new ShopPanel(byId("shop"), (gift) => {
  basket.add(gift.id);
  shop.flash(gift.id);
}, (gift) => monthly.open(gift));
const campaigns = new CampaignsPanel(byId<HTMLDialogElement>("campaigns"), {
  session: () => session,
  gifts: () => onSale,
  addToBasket: (gift) => {
    basket.add(gift.id);
    shop.flash(gift.id);
  },
});
const emergencies = new EmergencyBanner(
  document.querySelector("main.layout") ?? byId("game"),
  (ids) => ids.forEach((id) => shop.flash(id)),
  (campaignId) => campaigns.open(campaignId),
);
/** The emergency banner's bars: one campaign room per running emergency shown. */
const emergencyWatches = new Map<string, CampaignWatch>();
function watchEmergencies(): void {
  const wanted = new Set(emergencies.watched());
  for (const [id, w] of emergencyWatches) if (!wanted.has(id)) (w.close(), emergencyWatches.delete(id));
  for (const id of wanted) if (!emergencyWatches.has(id)) emergencyWatches.set(id, new CampaignWatch(id, (p) => emergencies.progress(p)));
}

const stage = document.querySelector<HTMLElement>(".stage") ?? document.body;
const play = new Play({
  model, toast, stage,
  hint: document.querySelector<HTMLElement>(".chip.hint"), gifts: () => gifts, me: () => session?.player.id,
  trail: (item) => trails.line(item.id),
  monthly: (item) => growth.line(item),
  starter: () => tutorial.wantsStarter(),
});
// Level, XP and the daily panel (client/game/progress-hud.ts).
const progressHud = new ProgressHud({
  model, toast, stage: document.querySelector<HTMLElement>(".stage") ?? document.body, token: () => session?.token,
  levelUp: () => sound.play("levelUp"),
});
installCues({ model, toast, play: (effect) => sound.play(effect) });
const tutorial = new Tutorial({
  model, toolbar: () => play.toolbar, stage: document.querySelector<HTMLElement>(".stage") ?? document.body,
  panel: document.querySelector<HTMLElement>("aside.panel") ?? document.body, shop: byId("shop"),
  pointOf: (x, y) => hooks.pointOf(x, y), visit: (villageId) => void visit(villageId),
});
social.account.addSection(new TutorialReplayPart(() => {
  social.account.close();
  tutorial.replay();
}));

const scene = new VillageScene({
  model,
  ...play.hands(),
  place: (itemId, x, y) => connection?.send({ itemId, x, y }),
  refused: (code) => toast.show(() => errorText(code), "error"),
  rendered: () => {
    fundraisers.sceneReady();
    hooks.ready = true;
    document.body.classList.add("ready");
    // The first frame drawn with the village in it (test/bench/first-load.ts measures up to here).
    game.events.once(Phaser.Core.Events.POST_RENDER, () => (hooks.firstFrameAt ??= performance.now()));
  },
});

// The plot is fitted beside the toolbar and the emotes, never under them.
watchOverlayInsets(stage, play.overlays(), (insets) => scene.setInsets(insets));

const fundraisers = installFundraisers({
  model, scene, session: () => session, account: social.account, basket, gifts: () => onSale, toast, hooks,
});

const arrivals = new Arrivals({
  model,
  gifts: () => gifts,
  celebrate: (ids) => scene.celebrate(ids),
  thank: (orderId, lines, received) => thanks.show(orderId, lines, received ?? null),
  me: () => session?.player.id,
});

const game = new Phaser.Game({
  type: Phaser.WEBGL,
  parent: "game",
  backgroundColor: "#b9d7a0",
  pixelArt: false,
  antialias: true,
  banner: false,
  audio: { noAudio: true },
  // One texture per batch: Phaser 4 picks a batch's texture with an exact float
  // comparison, which software WebGL (SwiftShader) and some mobile GPUs
  // interpolate inexactly, tearing holes in sprites. The ground is baked into
  // one texture, so this costs few draw calls.
  render: { maxTextures: 1 },
  scale: { mode: Phaser.Scale.RESIZE, width: "100%", height: "100%" },
  scene: [new BootScene(), scene],
});

const refreshBarn = () => header.setBarn(model.inBarn().length);
model.subscribe({ reset: refreshBarn, add: refreshBarn, update: refreshBarn, remove: refreshBarn });
// A gift in the village that is not (or no longer) in the shop is still drawn and described.
model.subscribe({ add: (item) => item.donated && catalogSync.ensure(item.giftId) });

/** The gifts on sale now, into the shop and the basket (which drops what is no longer offered). */
function showCatalog(list: CatalogGift[]): void {
  onSale = new Map(list.map((g) => [g.id, g]));
  basket.setGifts(list);
  shop.setGifts(list);
}

onLocaleChange(() => {
  header.render();
  shop.render();
  basket.render();
  thanks.render();
  receipts.render();
  if (monthly.isOpen) monthly.render();
  emergencies.render();
  campaigns.render();
  social.render();
  sharing.render();
  feed.render();
  impact.render();
  fundraisers.render();
  toast.retranslate();
  // The monthly digest is written in the language the player plays in.
  if (session?.account) void request("PATCH", "/api/me/preferences", { token: session.token, body: { mailLocale: locale() } }).catch(() => undefined);
});

/** The payment receipt (PDF) of a paid order, fetched with the bearer token. */
async function downloadOrderReceipt(orderId: string): Promise<void> {
  if (!session) return;
  const lang = locale();
  try {
    await downloadPdf(session.token, orderReceiptPath(orderId, lang), `hameau-${lang === "fr" ? "recu" : "receipt"}.pdf`);
  } catch (err) {
    toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
  }
}

async function give(lines: BasketLineInput[], supportCents: number, to: GiftDestination | null, dedicated: DedicationInput | null): Promise<void> {
  if (!session) return;
  try {
    const referral = keptReferral();
    const fundraiserId = basket.fundraiserId;
    const checkout = await api.checkout(session.token, {
      lines, supportCents, locale: locale(), ...to, ...(referral ? { referral } : {}), ...(fundraiserId ? { fundraiserId } : {}),
      ...(dedicated ? { dedication: dedicated } : {}),
    });
    // Remembered before leaving: if it is paid without coming back here, the basket still learns it.
    basket.startedCheckout(checkout.orderId);
    location.assign(checkout.checkoutUrl);
    // Keep "Opening the secure checkout…" on screen while the browser leaves.
    await new Promise((resolve) => setTimeout(resolve, 8000));
  } catch (err) {
    // A fundraiser that stopped taking gifts: the basket goes without it (the player may give again).
    if (err instanceof ApiError && err.code.startsWith("fundraiser_")) basket.setFundraiser(null);
    // A refusal about the dedication is shown next to its field.
    if (dedication.refused(err)) toast.show(() => t("dedication.invalid"), "error");
    else toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
  }
}

/** Opens a friend's village; a refusal leaves the open one as it was. */
async function visit(villageId: string): Promise<void> {
  try {
    await connection?.visit(villageId);
  } catch (err) {
    toast.show(() => errorText(err instanceof VisitRefused ? err.code : "internal"), "error");
  }
}

function onRoomError(message: RoomErrorMessage): void {
  if (message.about === "place") scene.undoPendingMove();
  toast.show(() => errorText(message.code), "error");
}

function onRoomStatus(status: "joined" | "lost" | "back"): void {
  if (status === "lost") toast.show(() => t("room.lost"), "progress", { sticky: true });
  else if (status === "back") {
    toast.show(() => t("room.back"), "success");
    // A payment may have gone through while the room could not say so.
    void paidCheckouts.checkAll();
  }
}

async function start(): Promise<void> {
  const catalog = patiently(toast, () => catalogSync.load());
  session = await patiently(toast, openSession);
  header.setPlayer(session.player.name);
  dedication.started();
  void sound.started(session);
  openReceipts.hidden = false;
  const back = returningOrder();
  // The checkouts this basket started may have been paid since (another tab, another device): ask now.
  const checkouts = paidCheckouts.checkAll(back?.orderId);
  connection = new VillageConnection(session, model, {
    error: onRoomError, status: onRoomStatus,
    withdrawn: (message) => showWithdrawn(toast, gifts, message), restored: (message) => showRestored(toast, gifts, message),
    village: (open) => {
      play.villageOpened(open);
      tutorial.villageOpened(open);
      // At home, my own name as the session has it (the room may still hold the name from before a sign-up).
      header.setPlayer(open.isHome && session ? session.player.name : open.ownerName);
      basket.setTarget(open.isHome ? null : { villageId: open.villageId, ownerName: open.ownerName });
    },
    sentAway: () => play.sentAway(),
    visitEnded: (code) => toast.show(() => errorText(code), "error"),
    notification: (message) => {
      social.notified(message);
      if (message.notification.kind === "impact_update") {
        feed.changed();
        impact.changed();
      }
    },
    catalogChanged: () => catalogSync.changed(),
    orderPaid: (message) => {
      paidCheckouts.heard(message.orderId);
      // A month of a monthly gift may be among my payments: its item's label reads the months again.
      growth.changed();
    },
    visitorArrived: (message) => toast.show(() => t("neighbours.arrived", { name: message.name }), "success", { ms: 5000 }),
    referrals: (counts) => sharing.pushed(counts),
    progress: (message) => progressHud.heard(message),
    emergency: (message) => {
      emergencies.show(message);
      watchEmergencies();
    },
  });
  play.attach(connection);
  void progressHud.load();
  hooks.connection = connection;
  void social.started(session);
  tutorial.started(session.player.id);
  fundraisers.started();
  sharing.render();
  void sharing.counts.load();
  feed.start();
  impact.start();
  const joined = connection.connect();
  await catalog;
  try {
    await comeBack(back, joined);
  } finally {
    await checkouts;
    basket.checked();
  }
  await joined;
  openCampaignFromLink();
  openMonthlyFromLink();
}

/** Back from a monthly gift's checkout (/?donations=1&monthly=<id>): My donations, on that gift, and what happened. */
function openMonthlyFromLink(): void {
  const back = monthlyReturn();
  if (!back) return;
  if (back.monthlyId) void receipts.openMonthly(back.monthlyId, back.cancelled);
  else receipts.open();
}

/** Back from a checkout (/?order=…): to the village the gifts went to, and the order settled in the basket. */
async function comeBack(back: ReturnType<typeof returningOrder>, joined: Promise<unknown>): Promise<void> {
  if (!session || !connection) return;
  if (back?.villageId && back.villageId !== session.villageId) {
    // Given from a friend's village: back there, to watch the gift arrive.
    await joined;
    await connection.visit(back.villageId).catch((err: unknown) => {
      if (!(err instanceof VisitRefused)) throw err;
      toast.show(() => errorText(err.code), "error");
    });
  }
  await handleOrderReturn({
    token: session.token,
    toast,
    paid: (order) => {
      basket.settle(order, true);
      arrivals.fromOrder(order);
      if (order.dedication) toast.show(() => dedicationNews(order.dedication!), "success", { ms: 9000 });
    },
    ended: (orderId) => basket.settle({ id: orderId, status: "expired", lines: [] }),
  });
}

/** The deep link /?campaign=<id> opens the campaigns panel on that campaign (once: the parameter leaves the address). */
function openCampaignFromLink(): void {
  const url = new URL(location.href);
  const id = url.searchParams.get("campaign");
  if (!id) return;
  url.searchParams.delete("campaign");
  history.replaceState(history.state, "", url);
  campaigns.open(id);
}

start().catch((err: unknown) => {
  console.error("Hameau could not start", err);
  toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error", { sticky: true });
});
