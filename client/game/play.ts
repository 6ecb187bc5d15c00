/**
 * Playing in a village: what a tap does with the tool chosen, the toolbar,
 * emote bar, decorations shop, barn, visit banner and the owner's visitor
 * menu (showing-out.ts) over the village, and feedback on every action. The scene asks this through its deps; actions go
 * out through the VillageConnection. A farming action's success is shown only
 * once the server confirmed it; its refusal, a lost connection or no answer in
 * time show an error here. Other refusals come back as room errors (shown by
 * main.ts), or are caught here first when the answer is certain.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { ErrorCode } from "../../shared/errors.ts";
import { CROPS, msUntilRipe } from "../../shared/farming.ts";
import type { CropWateredMessage } from "../../shared/messages.ts";
import { STARTER_RIPE_MS } from "../../shared/starter-crop.ts";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH, isInBounds } from "../../shared/village.ts";
import { errorText, onLocaleChange, t, type MessageKey } from "../i18n.ts";
import { ActionFailed } from "../net/action-answers.ts";
import type { OpenVillage, VillageConnection } from "../net/village-room.ts";
import { BarnPanel } from "../ui/barn-panel.ts";
import { DecorationShop } from "../ui/decoration-shop.ts";
import { EmoteBar } from "../ui/emote-bar.ts";
import type { Toast } from "../ui/toast.ts";
import { Toolbar, type Tool } from "../ui/toolbar.ts";
import { VisitBanner } from "../ui/visit-banner.ts";
import type { AvatarAnchor } from "../ui/visitor-menu.ts";
import { cropName, describeItem, duration, itemName } from "./play-text.ts";
import { ShowingOut } from "./showing-out.ts";
import type { AvatarView, ItemView, VillageModel } from "./village-model.ts";

export interface PlayDeps {
  model: VillageModel;
  toast: Toast;
  /** The stage element the overlays go in. */
  stage: HTMLElement;
  /** The hint chip under the village (its text follows the tool). */
  hint: HTMLElement | null;
  gifts(): ReadonlyMap<string, CatalogGift>;
  /** My player id, once the session is open. */
  me(): string | undefined;
  /** A donated gift's fund trail line, once known. */
  trail?(item: ItemView): string | null;
  /** A monthly gift's growth line, for its owner. */
  monthly?(item: ItemView): string | null;
  /** Whether the tutorial asks for the new player's starter crop (the server decides by the same rule). */
  starter?(): boolean;
}

export class Play {
  private readonly deps: PlayDeps;
  private connection: VillageConnection | undefined;
  readonly toolbar: Toolbar;
  private readonly emotes: EmoteBar;
  private readonly banner: VisitBanner;
  private readonly shop: DecorationShop;
  private readonly barn: BarnPanel;
  readonly showingOut: ShowingOut;
  /** An item picked in the barn: the next tap on a free tile puts it there. */
  private fromBarn: ItemView | null = null;

  constructor(deps: PlayDeps) {
    this.deps = deps;
    const { stage, model } = deps;
    this.banner = new VisitBanner(stage, () => void this.goHome());
    this.emotes = new EmoteBar(stage, (emote) => this.connection?.emote(emote));
    this.shop = new DecorationShop(stage, (id) => this.answered(this.connection?.buyDecoration(id)), () => this.openPanel(null), () => model.now());
    this.barn = new BarnPanel(stage, (item) => this.pickFromBarn(item), () => this.openPanel(null));
    this.showingOut = new ShowingOut({
      model, toast: deps.toast, stage, connection: () => this.connection, isOwner: () => this.isOwner(), me: deps.me,
    });
    this.toolbar = new Toolbar(stage, {
      changed: (tool) => this.toolChanged(tool),
      toggle: (panel) => this.openPanel(this.openPanelName() === panel ? null : panel),
    });
    model.subscribe({
      reset: () => this.refreshBarn(),
      add: (item, initial) => this.itemAdded(item, initial),
      update: (item, previous) => this.itemUpdated(item, previous),
      remove: () => this.refreshBarn(),
      ownerView: (view) => {
        this.toolbar.setCoins(view.coins);
        this.shop.setCoins(view.coins);
      },
      harvested: (message) => {
        this.toolbar.setCoins(message.balance);
        this.shop.setCoins(message.balance);
        // The canvas shows "+N coins"; the toast says it to screen readers too.
        this.deps.toast.show(() => t("harvest.done", { name: cropName(message.cropKind), coins: message.coins }), "success", { ms: 2500 });
      },
      watered: (message) => this.onWatered(message),
    });
    onLocaleChange(() => {
      this.toolbar.render();
      this.emotes.render();
      this.banner.render();
      this.showingOut.render();
      if (this.shop.isOpen) this.shop.render();
      this.refreshBarn();
      this.toolChanged(this.toolbar.tool);
    });
  }

  /** The room connection, once the session is open. */
  attach(connection: VillageConnection): void {
    this.connection = connection;
  }

  /** Called when a village opens (mine or a friend's). */
  villageOpened(open: OpenVillage): void {
    const owner = open.ownerId === this.deps.me();
    this.fromBarn = null;
    this.openPanel(null);
    this.toolbar.setOwner(owner);
    this.toolbar.setCoins(owner ? (this.deps.model.ownerView?.coins ?? null) : null);
    this.banner.set(open.isHome ? null : open.ownerName);
    this.showingOut.villageOpened();
    this.refreshBarn();
  }

  /** Leaves the visited village for mine, saying so if the way home fails. */
  async goHome(): Promise<void> {
    try {
      await this.connection?.goHome();
    } catch (err) {
      this.refuse((err as { code?: ErrorCode }).code ?? "internal");
    }
  }

  /** The owner sent me away: I am home again, and told why. */
  sentAway(): void {
    this.deps.toast.show(() => errorText("sent_away"), "error", { sticky: false, ms: 6000 });
  }

  /** What the scene asks of the player's hands (VillageSceneDeps). */
  /** The overlays over the village's edges (desktop): the toolbar along the bottom, the emotes on the left. */
  overlays(): { bottom: HTMLElement; left: HTMLElement } {
    return { bottom: this.toolbar.root, left: this.emotes.root };
  }

  hands() {
    return {
      canArrange: () => this.canArrange(),
      take: (itemId: string) => this.take(itemId),
      tapItem: (item: ItemView) => this.tapItem(item),
      tapGround: (tile: { x: number; y: number }, spot: { x: number; y: number }) => this.tapGround(tile, spot),
      canShowOut: (avatar: AvatarView) => this.showingOut.canShowOut(avatar),
      tapAvatar: (avatar: AvatarView, locate: AvatarAnchor) => this.showingOut.tapAvatar(avatar, locate),
      describe: (item: ItemView) => this.describe(item),
      nameOf: (item: ItemView) => this.nameOf(item),
      coinsText: (coins: number) => this.coinsText(coins),
      wateredText: (message: CropWateredMessage) => this.wateredText(message),
    };
  }

  isOwner(): boolean {
    const me = this.deps.me();
    return me !== undefined && me === this.deps.model.ownerId;
  }

  canArrange(): boolean {
    return this.isOwner() && this.toolbar.tool === "arrange";
  }

  describe(item: ItemView): string | null {
    return describeItem(item, { model: this.deps.model, gifts: this.deps.gifts(), isOwner: this.isOwner(), trail: this.deps.trail, monthly: this.deps.monthly });
  }

  /** A thing's name alone: a known gift, a decoration or a crop; null for decor. */
  nameOf(item: ItemView): string | null {
    if (item.kind === "decor") return null;
    if (item.kind !== "crop" && item.kind !== "decoration" && !this.deps.gifts().has(item.giftId)) return null;
    return itemName(item, this.deps.gifts());
  }

  coinsText(coins: number): string {
    return t("coins.gain", { coins });
  }

  wateredText(message: CropWateredMessage): string {
    return message.byPlayerId === this.deps.me()
      ? t("watered.mine", { time: duration(message.bonusMs) })
      : t("watered.by", { name: message.byName });
  }

  /** A tap on a thing: water or harvest a crop (whichever fits, or the tool says), else just its label. */
  tapItem(item: ItemView): void {
    const tool = this.toolbar.tool;
    const crop = this.deps.model.cropOf(item);
    this.walkNear(item.x, item.y);
    if (tool === "plant" || this.fromBarn) return this.refuse("tile_occupied");
    if (!crop) {
      if (tool === "water" || tool === "harvest") this.refuse("not_a_crop");
      return;
    }
    const ripe = msUntilRipe(crop, this.deps.model.now()) === 0;
    if (tool === "harvest" || (ripe && tool !== "water")) {
      if (!this.isOwner()) return this.refuse(ripe ? "crop_ripe" : "visitor_forbidden");
      // The coins are told by the server's "harvested" message, the watering by its "cropWatered".
      return this.answered(this.connection?.harvest(item.id));
    }
    this.answered(this.connection?.water(item.id));
  }

  /** A tap on free ground: plant there, put a barn item there, or walk there. */
  tapGround(tile: { x: number; y: number }, spot: { x: number; y: number }): void {
    const inside = isInBounds(tile.x, tile.y);
    if (inside && this.fromBarn) {
      const item = this.fromBarn;
      if (this.deps.model.itemAt(tile.x, tile.y)) return this.refuse("tile_occupied");
      this.fromBarn = null;
      this.toolChanged(this.toolbar.tool);
      this.connection?.place(item.id, tile.x, tile.y);
      return this.walkNear(tile.x, tile.y);
    } else if (inside && this.toolbar.tool === "plant" && this.isOwner()) {
      if (this.deps.model.itemAt(tile.x, tile.y)) return this.refuse("tile_occupied");
      const seed = this.toolbar.seed;
      const starter = this.deps.starter?.() ?? false;
      const growMs = starter ? STARTER_RIPE_MS : CROPS[seed].growMs;
      this.answered(this.connection?.plant(seed, tile.x, tile.y, starter), () => {
        this.deps.toast.show(() => t("crop.planted", { name: cropName(seed), time: duration(growMs) }), "success", { ms: 2200 });
      });
      return this.walkNear(tile.x, tile.y);
    }
    this.walkTo(spot.x, spot.y);
  }

  /** Dropped outside the fence: to the barn. */
  take(itemId: string): void {
    this.answered(this.connection?.take(itemId));
  }

  /**
   * Waits for the server's answer to a farming action: `success` runs only once it confirmed;
   * a refusal, a lost connection or no answer in time shows an error instead.
   */
  private answered(action: Promise<void> | undefined, success?: () => void): void {
    if (!action) return this.refuse("network");
    action.then(success, (err: unknown) => this.refuse(err instanceof ActionFailed ? err.code : "internal"));
  }

  private walkTo(x: number, y: number): void {
    this.deps.model.moveMine(x, y);
    this.connection?.move(x, y);
  }

  /** Walks to stand beside a tile being used (on the side I come from), unless already there. */
  private walkNear(x: number, y: number): void {
    const mine = this.deps.model.mine();
    if (!mine || x < 0) return;
    const side = (mine.x < x && x - 0.75 >= 0) || x + 0.75 > VILLAGE_WIDTH - 1 ? -0.75 : 0.75;
    const spot = { x: x + side, y: Math.min(VILLAGE_HEIGHT - 1, y + 0.1) };
    if (Math.hypot(mine.x - spot.x, mine.y - spot.y) > 0.3) this.walkTo(spot.x, spot.y);
  }

  private refuse(code: ErrorCode | "network" | "no_answer"): void {
    this.deps.toast.show(() => errorText(code), "error");
  }

  private toolChanged(tool: Tool): void {
    if (tool !== "arrange") this.fromBarn = null;
    const hint = this.deps.hint;
    if (!hint) return;
    const key: MessageKey = `hint.${tool}`;
    if (this.fromBarn) {
      const name = itemName(this.fromBarn, this.deps.gifts());
      hint.removeAttribute("data-i18n");
      hint.textContent = t("hint.placeFromBarn", { name });
      return;
    }
    hint.dataset.i18n = key;
    hint.textContent = t(key);
  }

  private openPanelName(): "shop" | "barn" | null {
    return this.shop.isOpen ? "shop" : this.barn.isOpen ? "barn" : null;
  }

  private openPanel(panel: "shop" | "barn" | null): void {
    const owner = this.isOwner();
    this.shop.setCoins(this.deps.model.ownerView?.coins ?? 0);
    this.shop.show(owner && panel === "shop");
    this.barn.show(owner && panel === "barn");
    this.toolbar.setOpen(owner ? panel : null);
  }

  private pickFromBarn(item: ItemView): void {
    this.openPanel(null);
    this.toolbar.select("arrange");
    this.fromBarn = item;
    this.toolChanged("arrange");
  }

  private refreshBarn(): void {
    const gifts = this.deps.gifts();
    const stored = this.deps.model.inBarn().map((item) => ({ item, name: itemName(item, gifts) }));
    this.barn.setItems(stored);
    this.toolbar.setBarn(stored.length);
  }

  private itemAdded(item: ItemView, initial: boolean): void {
    this.refreshBarn();
    if (initial || item.kind !== "decoration" || !this.isOwner()) return;
    const key = item.x < 0 ? "decorations.inBarn" : "decorations.arrived";
    this.deps.toast.show(() => t(key, { name: itemName(item, this.deps.gifts()) }), "success");
  }

  private itemUpdated(item: ItemView, previous: ItemView): void {
    if ((item.x < 0) !== (previous.x < 0)) this.refreshBarn();
    if (item.x < 0 && previous.x >= 0 && this.isOwner()) {
      this.deps.toast.show(() => t("barn.stored", { name: itemName(item, this.deps.gifts()) }), "success");
    }
  }

  private onWatered(message: CropWateredMessage): void {
    if (message.byPlayerId !== this.deps.me() || this.isOwner()) return;
    const item = this.deps.model.items.get(message.itemId);
    const crop = item ? cropName(item.cropKind) : "";
    this.deps.toast.show(() => t("watered.helped", { owner: this.deps.model.name, crop }), "success");
  }
}
