/**
 * Joining rooms as the client does: a room ticket from POST /api/room-tickets
 * (single use), then the SDK's joinOrCreate with it. The session token itself
 * never goes to the matchmaker nor into the websocket URL.
 */
import { Client, type Room } from "@colyseus/sdk";
import type { RoomTicketResponse } from "../../shared/api.ts";
import { CampaignState } from "../../shared/campaign-state.ts";
import { ROOM_CAMPAIGN, ROOM_VILLAGE } from "../../shared/messages.ts";
import { VillageState } from "../../shared/state.ts";

/** A fresh room ticket for this session token; an unknown token gets itself back (the door then refuses it as a ticket). */
export async function roomTicket(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/room-tickets`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 201) return token;
  return ((await res.json()) as RoomTicketResponse).ticket;
}

export async function joinVillageRoom(url: string, token: string, villageId: string, client = new Client(url)): Promise<Room<any, VillageState>> {
  return client.joinOrCreate(ROOM_VILLAGE, { villageId, ticket: await roomTicket(url, token) }, VillageState);
}

/** A campaign room: a ticket only when a token is given (a campaign not public yet, for its NGO's members). */
export async function joinCampaignRoom(url: string, token: string | undefined, campaignId: string): Promise<Room<any, CampaignState>> {
  const ticket = token ? await roomTicket(url, token) : undefined;
  return new Client(url).joinOrCreate(ROOM_CAMPAIGN, { campaignId, ...(ticket ? { ticket } : {}) }, CampaignState);
}
