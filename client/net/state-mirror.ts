/**
 * Copies one village room's synchronised state into the VillageModel: the
 * village, its items (with their kind, gift, decoration and crop fields) and
 * everyone present. `live()` turns false once the connection has moved on
 * to another room, so a room being left never writes into the model again.
 */
import { getStateCallbacks, type Room } from "@colyseus/sdk";
import type { SignFacts } from "../../shared/fundraisers.ts";
import type { FundraiserSign, VillagePresence, VillageState, VillageItem } from "../../shared/state.ts";
import type { AvatarView, ItemView, VillageModel } from "../game/village-model.ts";

export function itemView(item: VillageItem): ItemView {
  return {
    id: item.id, kind: item.kind, giftId: item.giftId, decorationId: item.decorationId, sprite: item.sprite,
    x: item.x, y: item.y, donated: item.donated, fromName: item.fromName,
    cropKind: item.cropKind, plantedAt: item.plantedAt, growthMs: item.growthMs,
    lastWateredAt: item.lastWateredAt, helperCount: item.helperCount, monthlyStage: item.monthlyStage ?? 0,
  };
}

export function avatarView(sessionId: string, p: VillagePresence): AvatarView {
  return {
    sessionId, playerId: p.playerId, name: p.name, isOwner: p.isOwner, x: p.x, y: p.y,
    emote: p.emote, emoteSeq: p.emoteSeq, connected: p.connected,
  };
}

/** The sign's facts, null when the owner has no active fundraiser. */
export function signView(sign: FundraiserSign | undefined): SignFacts | null {
  if (!sign?.id) return null;
  return {
    id: sign.id, title: sign.title, raisedCents: sign.raised, goalCents: sign.goal, donors: sign.donors, percent: sign.percent,
    currency: (sign.currency || "EUR") as SignFacts["currency"],
  };
}

/** Mirrors the room's state; `synced` runs once the first full state is in the model. */
export function mirrorState(room: Room<unknown, VillageState>, model: VillageModel, live: () => boolean, synced: () => void): void {
  model.mySessionId = room.sessionId;
  const $ = getStateCallbacks(room);
  const item = (i: VillageItem) => live() && model.upsert(itemView(i));
  const avatar = (sessionId: string, p: VillagePresence) => live() && model.upsertAvatar(avatarView(sessionId, p));
  $(room.state).items.onAdd((i) => {
    item(i);
    $(i).onChange(() => item(i));
  });
  $(room.state).items.onRemove((i) => live() && model.remove(i.id));
  $(room.state).players.onAdd((p, sessionId) => {
    avatar(sessionId, p);
    $(p).onChange(() => avatar(sessionId, p));
  });
  $(room.state).players.onRemove((_p, sessionId) => live() && model.removeAvatar(sessionId));
  // The sign is a handful of fields: read again after every patch (setSign ignores what did not change).
  room.onStateChange(() => live() && model.setSign(signView(room.state.fundraiser)));
  const sync = () => {
    if (!live()) return;
    const state = room.state;
    model.villageId = state.villageId;
    model.ownerId = state.ownerId;
    model.name = state.name;
    model.width = state.width;
    model.height = state.height;
    model.mySessionId = room.sessionId;
    for (const i of state.items.values()) model.upsert(itemView(i));
    state.players.forEach((p, sessionId) => model.upsertAvatar(avatarView(sessionId, p)));
    model.setSign(signView(state.fundraiser));
    model.markSynced();
    synced();
  };
  // The first full state may already be decoded by the time join resolves.
  if (room.state?.villageId) sync();
  else room.onStateChange.once(sync);
}
