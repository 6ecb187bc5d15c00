/**
 * Emergencies that become visible without being published at that moment: a
 * campaign published ahead of its start date, once it starts, and the running
 * emergencies of an NGO that has just been approved, or whose Stripe account
 * has just become able to take payments (its gifts enter the shop). Every process checks on a
 * timer; the first to see one claims it in presence (a counter every process
 * shares, in Redis with REDIS_URL) and announces it on the emergency channel,
 * so each village room hears it once. Emergencies announced when published,
 * or running when the process starts, are not announced again (players
 * joining a village are told of running ones on joining, as always).
 */
import type { Presence } from "@colyseus/core";
import type { Logger } from "pino";
import type { EmergencyMessage } from "../../shared/messages.ts";
import type { Db } from "../db/connect.ts";
import { runningEmergencies } from "../services/campaign-progress.ts";
import { announceEmergency, watchEmergencies } from "./campaign-events.ts";

/** How often a process looks for emergencies that started (well within the one-minute promise). */
export const EMERGENCY_CHECK_MS = 15_000;
/** How long a claim is kept: longer than any process takes to notice. */
const CLAIM_SECONDS = 24 * 3600;

const claimKey = (campaignId: string) => `hameau:emergency-announced:${campaignId}`;

export interface EmergencyWatch {
  /** One check now (the timer calls it). */
  check(): Promise<void>;
  stop(): void;
}

export async function watchForStartedEmergencies(
  deps: { db: Db; presence: Presence; logger: Logger; now: () => number },
  everyMs = EMERGENCY_CHECK_MS,
): Promise<EmergencyWatch> {
  /** Emergencies this process knows were announced (or were running when it started). */
  const known = new Set<string>();
  const claim = async (campaignId: string) => {
    const n = await deps.presence.incr(claimKey(campaignId));
    if (n === 1) await deps.presence.expire(claimKey(campaignId), CLAIM_SECONDS);
    return n === 1;
  };
  for (const m of await runningEmergencies(deps.db, deps.now())) {
    known.add(m.campaignId);
    await claim(m.campaignId);
  }
  // Announced at publication (by any process): claimed, so no process announces it again.
  const unwatch = await watchEmergencies(deps.presence, (m: EmergencyMessage) => {
    if (known.has(m.campaignId)) return;
    known.add(m.campaignId);
    claim(m.campaignId).catch((err: unknown) => deps.logger.warn({ err }, "emergency claim failed"));
  });
  let checking: Promise<void> | undefined;
  const check = () => {
    checking ??= (async () => {
      try {
        for (const m of await runningEmergencies(deps.db, deps.now())) {
          if (known.has(m.campaignId)) continue;
          known.add(m.campaignId);
          if (await claim(m.campaignId)) await announceEmergency(deps.presence, m);
        }
      } catch (err) {
        deps.logger.warn({ err }, "emergency check failed");
      } finally {
        checking = undefined;
      }
    })();
    return checking;
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return {
    check,
    stop() {
      clearInterval(timer);
      unwatch();
    },
  };
}
