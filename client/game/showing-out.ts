/**
 * The owner showing a visitor out: a tap on a visitor's avatar opens the
 * visitor menu (owners only, never on my own avatar); its choice goes to the
 * room as `sendAway`. The toast confirms once the state says the visitor
 * left (their avatar is removed); a refusal comes back as a room error
 * (main.ts shows it) and no confirmation follows.
 */
import { t } from "../i18n.ts";
import type { VillageConnection } from "../net/village-room.ts";
import { avatarSprite } from "../scenes/art.ts";
import type { Toast } from "../ui/toast.ts";
import { type AvatarAnchor, VisitorMenu } from "../ui/visitor-menu.ts";
import type { AvatarView, VillageModel } from "./village-model.ts";

/** How long a sent request waits for the visitor to leave before its confirmation is dropped. */
const CONFIRM_WITHIN_MS = 10_000;

export interface ShowingOutDeps {
  model: VillageModel;
  toast: Toast;
  stage: HTMLElement;
  connection(): VillageConnection | undefined;
  /** True in my own village. */
  isOwner(): boolean;
  me(): string | undefined;
}

export class ShowingOut {
  private readonly deps: ShowingOutDeps;
  readonly menu: VisitorMenu;
  /** Visitors asked to leave and not gone yet: player id → what to confirm, until when. */
  private readonly pending = new Map<string, { name: string; block: boolean; until: number }>();

  constructor(deps: ShowingOutDeps) {
    this.deps = deps;
    this.menu = new VisitorMenu(deps.stage, (playerId, name, block) => this.send(playerId, name, block));
    deps.model.subscribe({
      reset: () => {
        this.menu.close(false);
        this.pending.clear();
      },
      avatarRemove: (avatar) => this.left(avatar),
    });
  }

  /** Whether a tap on this avatar opens the menu: the owner's, on someone else's. */
  canShowOut(avatar: AvatarView): boolean {
    return this.deps.isOwner() && !avatar.isOwner && avatar.playerId !== this.deps.me() && avatar.sessionId !== this.deps.model.mySessionId;
  }

  /** A tap on an avatar: opens its visitor menu when it may be shown out; false when the tap is not for it. */
  tapAvatar(avatar: AvatarView, locate: AvatarAnchor): boolean {
    if (!this.canShowOut(avatar)) return false;
    this.menu.open({ playerId: avatar.playerId, name: avatar.name, sprite: avatarSprite(avatar.playerId, avatar.isOwner), locate });
    return true;
  }

  render(): void {
    this.menu.render();
  }

  /** Another village opened: nobody to show out from the old one. */
  villageOpened(): void {
    this.menu.close(false);
  }

  private send(playerId: string, name: string, block: boolean): void {
    const connection = this.deps.connection();
    if (!connection || !this.deps.isOwner()) return;
    this.pending.set(playerId, { name, block, until: Date.now() + CONFIRM_WITHIN_MS });
    connection.sendAway(playerId, block);
  }

  private left(avatar: AvatarView): void {
    if (this.menu.openFor === avatar.playerId && !this.stillHere(avatar.playerId)) this.menu.close(false);
    const asked = this.pending.get(avatar.playerId);
    if (!asked) return;
    this.pending.delete(avatar.playerId);
    if (asked.until < Date.now()) return;
    const key = asked.block ? "visitor.shownOutBlocked" : "visitor.shownOut";
    this.deps.toast.show(() => t(key, { name: asked.name }), "success", { ms: 4000 });
  }

  /** Whether that player still has an avatar here (another tab of theirs). */
  private stillHere(playerId: string): boolean {
    return [...this.deps.model.avatars.values()].some((a) => a.playerId === playerId);
  }
}
