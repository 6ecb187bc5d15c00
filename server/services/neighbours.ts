/**
 * Neighbours to visit (shared/neighbours.ts): suggestions and the paginated
 * list of public villages. One door for both: only villages whose owner opted
 * in (village visibility "public"), never the asker's own, never one of a
 * player blocked either way, never one of a deleted account. What leaves here
 * is a card (village name, owner's public name, level), never who is friends
 * with whom: a friend-of-a-friend suggestion does not say through whom.
 */
import { type SQL, sql } from "drizzle-orm";
import {
  NEIGHBOURS_PAGE_SIZE, SUGGESTIONS_MAX, type NeighbourCard, type NeighbourReason, type PublicVillagesResponse,
} from "../../shared/neighbours.ts";
import { levelOf } from "../../shared/progression.ts";
import type { Db } from "../db/connect.ts";
import { DEMO_NEIGHBOUR } from "../db/seed-neighbour.ts";

interface Row {
  villageId: string;
  villageName: string;
  ownerName: string;
  xp: number | string;
  friend: boolean;
}

/** My accepted friends' ids, as a subquery. */
const myFriends = (me: string) => sql`(
  select case when f.requester_id = ${me} then f.addressee_id else f.requester_id end
  from friend_links f where f.status = 'accepted' and (f.requester_id = ${me} or f.addressee_id = ${me}))`;

/** Public villages someone may find: opted in, not mine, not deleted, no block either way; `extra` narrows. */
async function publicVillages(db: Db, me: string, extra: SQL, order: SQL, limit: number, offset = 0): Promise<Row[]> {
  const result = (await db.execute(sql`
    select v.id as "villageId", v.name as "villageName", p.display_name as "ownerName", coalesce(pp.xp, 0) as xp,
      (p.id in ${myFriends(me)}) as friend
    from villages v
      join players p on p.id = v.owner_id
      left join player_progress pp on pp.player_id = p.id
    where p.village_visibility = 'public' and p.deleted_at is null and p.id <> ${me}
      and not exists (select 1 from blocks b where (b.blocker_id = ${me} and b.blocked_id = p.id) or (b.blocker_id = p.id and b.blocked_id = ${me}))
      and ${extra}
    order by ${order}, v.id
    limit ${limit} offset ${offset}`)) as unknown as { rows: Row[] };
  return result.rows;
}

/** Most recently active first: the owner's progression moves with every action; else the village's age. */
const byActivity = sql`coalesce(pp.updated_at, v.created_at) desc`;

const card = (row: Row, reason?: NeighbourReason): NeighbourCard => ({
  villageId: row.villageId,
  villageName: row.villageName,
  ownerName: row.ownerName,
  level: levelOf(Number(row.xp)),
  ...(reason ? { reason: row.villageId === DEMO_NEIGHBOUR.villageId ? "demo" : reason } : { friend: Boolean(row.friend) }),
});

/** "%text%" for LIKE, with the text's own % _ and \ taken literally (backslash is LIKE's default escape). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of public villages, optionally those whose name or owner's name contains `q`. */
export async function listPublicVillages(db: Db, me: string, input: { q: string; page: number }): Promise<PublicVillagesResponse> {
  const pattern = containing(input.q);
  const matching = input.q === "" ? sql`true` : sql`(v.name ilike ${pattern} or p.display_name ilike ${pattern})`;
  const offset = (input.page - 1) * NEIGHBOURS_PAGE_SIZE;
  const rows = await publicVillages(db, me, matching, byActivity, NEIGHBOURS_PAGE_SIZE + 1, offset);
  return {
    villages: rows.slice(0, NEIGHBOURS_PAGE_SIZE).map((r) => card(r)),
    page: input.page,
    pageSize: NEIGHBOURS_PAGE_SIZE,
    hasMore: rows.length > NEIGHBOURS_PAGE_SIZE,
  };
}

/**
 * A few villages to visit: the demo neighbour first for a player with no friends yet, then
 * public villages of friends of my friends (not already mine), then the most active public ones.
 */
export async function suggestNeighbours(db: Db, me: string): Promise<NeighbourCard[]> {
  const notFriend = sql`p.id not in ${myFriends(me)}`;
  const cards: NeighbourCard[] = [];
  const seen = new Set<string>();
  const add = (rows: Row[], reason: NeighbourReason) => {
    for (const row of rows) {
      if (cards.length >= SUGGESTIONS_MAX || seen.has(row.villageId)) continue;
      seen.add(row.villageId);
      cards.push(card(row, reason));
    }
  };
  const [friends] = (await db.execute(sql`select count(*)::int as n from ${myFriends(me)} as mine(id)`) as unknown as { rows: Array<{ n: number }> }).rows;
  if (Number(friends?.n ?? 0) === 0) add(await publicVillages(db, me, sql`v.id = ${DEMO_NEIGHBOUR.villageId}`, byActivity, 1), "demo");
  const friendOfFriend = sql`${notFriend} and exists (
    select 1 from friend_links f2
    where f2.status = 'accepted'
      and ((f2.requester_id = p.id and f2.addressee_id in ${myFriends(me)}) or (f2.addressee_id = p.id and f2.requester_id in ${myFriends(me)})))`;
  add(await publicVillages(db, me, friendOfFriend, byActivity, SUGGESTIONS_MAX), "friend_of_friend");
  if (cards.length < SUGGESTIONS_MAX) add(await publicVillages(db, me, notFriend, byActivity, SUGGESTIONS_MAX * 2), "active");
  return cards;
}
