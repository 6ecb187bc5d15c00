/**
 * The live campaign feed's upstreams: one per campaign per process, shared by
 * every open stream of that campaign (GET /api/campaigns/:id/live, public
 * pages and the widget). An upstream listens to the campaign's presence
 * channel — the same "progress changed" events that drive CampaignRoom,
 * published after a payment, refund or dispute committed in ANY process
 * (local presence, or Redis pub/sub with REDIS_URL) — re-reads the progress
 * through the same rule, and sends the snapshot to its streams when it
 * changed. It also wakes itself when the campaign starts or ends (phase).
 *
 * Caps: open streams in total and per client address; a stream over a cap is
 * refused before anything is read. Every stream gets a comment line as
 * heartbeat, and all are ended cleanly on shutdown.
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import { campaignPhase } from "../../shared/campaign-progress.ts";
import type { CampaignProgress } from "../../shared/campaigns.ts";
import { type CampaignLiveSnapshot, LIVE_CLOSED_EVENT, LIVE_HEARTBEAT_MS } from "../../shared/campaign-live.ts";
import type { Currency } from "../../shared/money.ts";
import type { Db } from "../db/connect.ts";
import { type CampaignWithGifts, progressAndLeaderboard, visibleCampaign } from "../services/campaign-progress.ts";
import { campaignChannel } from "./campaign-events.ts";

export interface LiveFeedLimits {
  /** Open streams per client address. */
  perAddress: number;
  /** Open streams in this process. */
  total: number;
}

/** Where one stream's bytes go (an HTTP response in text/event-stream). */
export interface LiveSink {
  write(chunk: string): void;
  end(): void;
  /** Bytes waiting to go out: a client that stopped reading is dropped past a limit. */
  backlog(): number;
}

export type Reservation = { ok: true; release: () => void } | { ok: false; why: "total" | "address" | "closing" };

export interface CampaignLiveFeed {
  /** Takes a slot for a stream from this address, or says which cap refused it. */
  reserve(address: string): Reservation;
  /**
   * Opens a stream of a visible campaign: `open` is called synchronously with the current snapshot
   * and returns the sink (or null when the client left meanwhile). Resolves with a function that
   * closes the stream, or null when the campaign is not public (a 404).
   */
  attach(campaignId: string, open: (snapshot: CampaignLiveSnapshot) => LiveSink | null): Promise<(() => void) | null>;
  /** For tests and logs: upstreams and streams open in this process. */
  stats(): { upstreams: number; streams: number };
  /** Ends every stream and stops listening (server shutdown). */
  close(): Promise<void>;
}

interface Upstream {
  campaignId: string;
  sinks: Set<LiveSink>;
  /** Attaches still waiting for the first read: the upstream stays while they wait. */
  pending: number;
  latest: CampaignLiveSnapshot | null;
  ready: Promise<void>;
  running: Promise<void> | null;
  again: boolean;
  phaseTimer: NodeJS.Timeout | undefined;
  listener: () => void;
}

/** Past this many bytes unsent, a stream's client is not reading: it is dropped. */
const MAX_BACKLOG = 64 * 1024;
/** setTimeout's limit (about 24.8 days); a later phase change is caught by the next event or a reconnect. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function snapshotOf(c: CampaignWithGifts, progress: CampaignProgress, now: number): CampaignLiveSnapshot {
  const r = c.campaign;
  // Sponsors' matches (matching pledges), apart from the donors' own gifts: only when the campaign has pledges.
  const matched = progress.matchedCents;
  return {
    campaignId: r.id, currency: r.currency as Currency, raisedCents: progress.raisedCents, goalCents: r.goalCents, percent: progress.percent,
    donors: progress.donors, ...(typeof matched === "number" ? { matchedCents: matched } : {}),
    phase: campaignPhase({ startsAt: r.startsAt.getTime(), endsAt: r.endsAt.getTime() }, now),
    startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(),
  };
}

/** The public snapshot of a visible campaign (published, approved NGO), or null. */
export async function liveSnapshot(db: Db, campaignId: string, now: number): Promise<CampaignLiveSnapshot | null> {
  const c = await visibleCampaign(db, campaignId);
  if (!c) return null;
  const { progress } = await progressAndLeaderboard(db, c, now);
  return snapshotOf(c, progress, now);
}

export function dataEvent(snapshot: CampaignLiveSnapshot): string {
  return `data: ${JSON.stringify(snapshot)}\n\n`;
}

export function campaignLiveFeed(
  deps: { db: Db; presence: Presence; logger: Logger; now: () => number },
  limits: LiveFeedLimits,
  heartbeatMs = LIVE_HEARTBEAT_MS,
): CampaignLiveFeed {
  const upstreams = new Map<string, Upstream>();
  const byAddress = new Map<string, number>();
  let open = 0;
  let closing = false;

  const send = (u: Upstream, sink: LiveSink, chunk: string) => {
    if (sink.backlog() > MAX_BACKLOG) {
      u.sinks.delete(sink);
      sink.end();
      return;
    }
    sink.write(chunk);
  };

  const heartbeat = setInterval(() => {
    for (const u of upstreams.values()) for (const sink of [...u.sinks]) send(u, sink, ": heartbeat\n\n");
  }, heartbeatMs);
  heartbeat.unref();

  function dispose(u: Upstream): void {
    if (upstreams.get(u.campaignId) !== u) return;
    upstreams.delete(u.campaignId);
    clearTimeout(u.phaseTimer);
    void Promise.resolve(deps.presence.unsubscribe(campaignChannel(u.campaignId), u.listener))
      .catch((err: unknown) => deps.logger.warn({ err, campaignId: u.campaignId }, "live feed unsubscribe failed"));
  }

  function disposeIfUnused(u: Upstream): void {
    if (u.sinks.size === 0 && u.pending === 0) dispose(u);
  }

  /** Re-reads the campaign; sends the snapshot when it changed, ends the streams when it is no longer public. */
  async function read(u: Upstream): Promise<void> {
    const now = deps.now();
    const next = await liveSnapshot(deps.db, u.campaignId, now);
    const before = u.latest;
    u.latest = next;
    if (!next) {
      for (const sink of u.sinks) {
        sink.write(`event: ${LIVE_CLOSED_EVENT}\ndata: {}\n\n`);
        sink.end();
      }
      u.sinks.clear();
      return;
    }
    schedulePhase(u, next, now);
    if (before && JSON.stringify(before) === JSON.stringify(next)) return;
    const chunk = dataEvent(next);
    for (const sink of [...u.sinks]) send(u, sink, chunk);
  }

  function schedulePhase(u: Upstream, s: CampaignLiveSnapshot, now: number): void {
    clearTimeout(u.phaseTimer);
    u.phaseTimer = undefined;
    const next = [Date.parse(s.startsAt), Date.parse(s.endsAt)].find((t) => t > now);
    if (next === undefined || next - now > MAX_TIMER_MS) return;
    u.phaseTimer = setTimeout(() => refresh(u), next - now + 50);
    u.phaseTimer.unref();
  }

  /** One read at a time; events arriving meanwhile ask for one more (as CampaignRoom does). */
  function refresh(u: Upstream): void {
    if (u.running) {
      u.again = true;
      return;
    }
    u.running = (async () => {
      do {
        u.again = false;
        try {
          await read(u);
        } catch (err) {
          deps.logger.error({ err, campaignId: u.campaignId }, "live campaign progress failed");
        }
      } while (u.again && upstreams.get(u.campaignId) === u);
      u.running = null;
      if (!u.latest) disposeIfUnused(u);
    })();
  }

  function upstreamOf(campaignId: string): Upstream {
    const existing = upstreams.get(campaignId);
    if (existing) return existing;
    const u: Upstream = {
      campaignId, sinks: new Set(), pending: 0, latest: null, ready: Promise.resolve(), running: null, again: false, phaseTimer: undefined,
      listener: () => refresh(u),
    };
    // Listen first, then read: an event published meanwhile asks for another read, none is missed.
    u.ready = (async () => {
      await deps.presence.subscribe(campaignChannel(campaignId), u.listener);
      refresh(u);
      await u.running;
    })();
    upstreams.set(campaignId, u);
    return u;
  }

  return {
    reserve(address) {
      if (closing) return { ok: false, why: "closing" };
      if (open >= limits.total) return { ok: false, why: "total" };
      const mine = byAddress.get(address) ?? 0;
      if (mine >= limits.perAddress) return { ok: false, why: "address" };
      open++;
      byAddress.set(address, mine + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          open--;
          const left = (byAddress.get(address) ?? 1) - 1;
          if (left <= 0) byAddress.delete(address);
          else byAddress.set(address, left);
        },
      };
    },

    async attach(campaignId, openSink) {
      const u = upstreamOf(campaignId);
      u.pending++;
      try {
        await u.ready;
        // A read may be under way (an event arrived): the stream starts from its result.
        while (u.running) await u.running;
      } catch (err) {
        u.pending--;
        dispose(u);
        throw err;
      }
      u.pending--;
      if (closing || !u.latest || upstreams.get(campaignId) !== u) {
        disposeIfUnused(u);
        return null;
      }
      const sink = openSink(u.latest);
      if (!sink) {
        disposeIfUnused(u);
        return () => {};
      }
      u.sinks.add(sink);
      return () => {
        u.sinks.delete(sink);
        disposeIfUnused(u);
      };
    },

    stats() {
      let streams = 0;
      for (const u of upstreams.values()) streams += u.sinks.size;
      return { upstreams: upstreams.size, streams };
    },

    async close() {
      closing = true;
      clearInterval(heartbeat);
      const all = [...upstreams.values()];
      for (const u of all) {
        for (const sink of u.sinks) sink.end();
        u.sinks.clear();
        dispose(u);
      }
      await Promise.all(all.map((u) => u.running?.catch(() => undefined)));
    },
  };
}
