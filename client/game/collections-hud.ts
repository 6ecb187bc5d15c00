/**
 * The collections panel's wiring: opened from the daily panel, it reads
 * GET /api/collections and sends a complete set's claim; the decoration then
 * arrives in the village through the room, and a toast says so.
 */
import { DECORATIONS } from "../../shared/decorations.ts";
import { SETS, isSetId } from "../../shared/collections.ts";
import type { CollectionsView, SetClaimResponse } from "../../shared/collections-api.ts";
import { errorText, locale, onLocaleChange, t } from "../i18n.ts";
import { ApiError, request } from "../net/api.ts";
import { CollectionsPanel } from "../ui/collections-panel.ts";
import type { Toast } from "../ui/toast.ts";

export class CollectionsHud {
  readonly panel: CollectionsPanel;
  private readonly deps: { stage: HTMLElement; toast: Toast; token(): string | undefined };

  constructor(deps: { stage: HTMLElement; toast: Toast; token(): string | undefined }) {
    this.deps = deps;
    this.panel = new CollectionsPanel(deps.stage, { claim: (id) => void this.claim(id), close: () => this.panel.show(false) });
    onLocaleChange(() => this.panel.isOpen && this.panel.render());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.panel.isOpen) this.panel.show(false);
    });
  }

  async open(): Promise<void> {
    this.panel.show(true);
    const token = this.deps.token();
    if (!token) return;
    try {
      this.panel.setView(await request<CollectionsView>("GET", "/api/collections", { token }));
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    }
  }

  private async claim(setId: string): Promise<void> {
    const token = this.deps.token();
    if (!token || !isSetId(setId)) return this.panel.settled(setId);
    try {
      const answer = await request<SetClaimResponse>("POST", `/api/collections/${encodeURIComponent(setId)}/claim`, { token, body: {} });
      this.panel.setView(answer.view);
      const reward = DECORATIONS[SETS[setId].reward];
      const name = locale() === "fr" ? reward.nameFr : reward.nameEn;
      this.deps.toast.show(() => t(answer.inBarn ? "decorations.inBarn" : "decorations.arrived", { name }), "success", { ms: 3500 });
    } catch (err) {
      this.deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      this.panel.settled(setId);
    }
  }
}
