/**
 * Daily play in the village: the level badge and the daily panel
 * (client/ui/level-badge.ts, quests-panel.ts), kept up to date from
 * GET /api/progress, the room's "progress" messages (what an action earned)
 * and the claims' answers. A level reached bursts over the badge and says
 * what it paid; claimed coins show in the toolbar at once.
 */
import { DECORATIONS } from "../../shared/decorations.ts";
import { CROPS } from "../../shared/farming.ts";
import { CROP_UNLOCKS, LEVEL_UNLOCKS } from "../../shared/progression.ts";
import type { ClaimResponse, ProgressGain, ProgressMessage, ProgressView } from "../../shared/progress-api.ts";
import { errorText, locale, onLocaleChange, t } from "../i18n.ts";
import { ApiError, request } from "../net/api.ts";
import { LevelBadge } from "../ui/level-badge.ts";
import { type ClaimTarget, QuestsPanel } from "../ui/quests-panel.ts";
import type { Toast } from "../ui/toast.ts";
import { CollectionsHud } from "./collections-hud.ts";
import { setMyLevel } from "./my-level.ts";
import type { VillageModel } from "./village-model.ts";

export interface ProgressHudDeps {
  stage: HTMLElement;
  toast: Toast;
  model: VillageModel;
  /** My session token, once the session is open. */
  token(): string | undefined;
  /** A level was reached (its sound). */
  levelUp?(): void;
}

export class ProgressHud {
  private readonly deps: ProgressHudDeps;
  readonly badge: LevelBadge;
  readonly panel: QuestsPanel;
  readonly collections: CollectionsHud;
  private dayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: ProgressHudDeps) {
    this.deps = deps;
    this.badge = new LevelBadge(deps.stage, () => this.toggle());
    this.collections = new CollectionsHud(deps);
    this.panel = new QuestsPanel(deps.stage, {
      claim: (target) => void this.claim(target), close: () => this.toggle(false),
      collections: () => {
        this.toggle(false);
        void this.collections.open();
      },
    });
    onLocaleChange(() => {
      this.badge.render();
      if (this.panel.isOpen) this.panel.render();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.panel.isOpen) this.toggle(false);
    });
  }

  toggle(open = !this.panel.isOpen): void {
    this.panel.show(open);
    this.badge.setOpen(open);
    if (!open && document.activeElement && this.panel.root.contains(document.activeElement)) this.badge.root.focus();
  }

  /** Reads my progression (on start, and when the day may have turned). */
  async load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    try {
      this.show(await request<ProgressView>("GET", "/api/progress", { token }));
    } catch {
      // The badge stays as it was; the next action or reload brings it back.
    }
  }

  /** The room said what an action earned me. */
  heard(message: ProgressMessage): void {
    this.show(message.view);
    this.celebrate(message.gain);
    // The action's own toast (harvested, watered, thanks) keeps the word: a finished quest shows on the badge.
    if (message.gain.completed.length > 0) this.badge.questDone();
  }

  private show(view: ProgressView): void {
    // At midnight in Paris the quests and the daily reward start again: read them then.
    clearTimeout(this.dayTimer);
    const untilReset = Date.parse(view.resetsAt) - Date.now();
    if (untilReset > 0 && untilReset < 86_400_000 * 2) this.dayTimer = setTimeout(() => void this.load(), untilReset + 2000);
    setMyLevel(view.level);
    this.badge.setView(view);
    this.panel.setView(view);
  }

  private celebrate(gain: ProgressGain): void {
    const level = gain.levelsReached.at(-1);
    if (level === undefined) return;
    this.badge.celebrate(level);
    this.deps.levelUp?.();
    const unlocked = gain.levelsReached.flatMap((l) => [...(CROP_UNLOCKS[l] ?? []).map((k) => CROPS[k]), ...(LEVEL_UNLOCKS[l] ?? []).map((id) => DECORATIONS[id])]);
    const names = unlocked.map((info) => (locale() === "fr" ? info.nameFr : info.nameEn));
    this.deps.toast.show(() => [t("progress.levelUpToast", { level, coins: gain.coins }), ...names.map((name) => t("progress.unlocked", { name }))].join(" · "), "success", { ms: 4000 });
  }

  private async claim(target: ClaimTarget): Promise<void> {
    const token = this.deps.token();
    const key = target.kind === "daily" ? "daily" : target.questId;
    if (!token) return this.panel.settled(key);
    const path = target.kind === "daily" ? "/api/progress/daily-reward" : `/api/progress/quests/${encodeURIComponent(target.questId)}/claim`;
    try {
      const answer = await request<ClaimResponse>("POST", path, { token, body: {} });
      this.show(answer.view);
      this.deps.toast.show(() => t("progress.claimedToast", { coins: answer.gain.coins, xp: answer.gain.xp }), "success", { ms: 2500 });
      this.celebrate(answer.gain);
      // The toolbar and shop show my coins at home: the owner's view carries them.
      const ownerView = this.deps.model.ownerView;
      if (ownerView) this.deps.model.setOwnerView({ ...ownerView, coins: answer.balance });
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      await this.load();
    } finally {
      this.panel.settled(key);
    }
  }
}
