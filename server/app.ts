/**
 * Assembles one Hameau process: database, Express (API, webhook, test
 * checkout, site) and Colyseus rooms on a single HTTP server and port.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { LocalDriver, LocalPresence, matchMaker, type Presence, Server } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import { Redis } from "ioredis";
import { redisOptions } from "./realtime/redis-options.ts";
import { WebSocketTransport } from "@colyseus/ws-transport";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { ROOM_CAMPAIGN, ROOM_VILLAGE } from "../shared/messages.ts";
import { createLogger } from "./logger.ts";
import type { Config } from "./config.ts";
import { type Database, type DatabaseTarget, openDatabase } from "./db/connect.ts";
import { tutorialRouter } from "./http/tutorial.ts";
import { seedDemo } from "./db/seed.ts";
import { accountRouter } from "./http/account.ts";
import { campaignsRouter } from "./http/campaigns.ts";
import { referralsRouter } from "./http/referrals.ts";
import { pledgesRouter } from "./http/pledges.ts";
import { apiRouter } from "./http/api.ts";
import { friendsRouter } from "./http/friends.ts";
import { neighboursRouter } from "./http/neighbours.ts";
import { privacyRouter } from "./http/privacy.ts";
import { preferencesRouter } from "./http/preferences.ts";
import { restrictCors } from "./http/cors.ts";
import { type LimiterStores, memoryStores, redisStores } from "./http/rate-limit-store.ts";
import { MemorySignInAttempts, RedisSignInAttempts } from "./http/sign-in-attempts.ts";
import type { SessionsEndedHook } from "./realtime/sessions-ended.ts";
import { receiptsRouter } from "./http/receipts.ts";
import { roomTicketsRouter } from "./http/room-tickets.ts";
import { createMailer } from "./mail/mailer.ts";
import { outboxRouter } from "./mail/outbox.ts";
import { type MailQueue, startMailQueue } from "./mail/mail-queue.ts";
import { errorHandler, notFound } from "./http/errors.ts";
import { routesOf } from "./http/route-list.ts";
import { refuseUnstorableBody, refuseUnstorableUrl } from "./http/input-guard.ts";
import { siteRouter } from "./http/site.ts";
import { publicPagesRouter } from "./http/public-pages.ts";
import { createCardRenderer } from "./cards/card-renderer.ts";
import { createStripe } from "./payments/stripe.ts";
import { testCheckoutRouter } from "./payments/test-checkout.ts";
import { testMonthlyRouter } from "./payments/test-monthly.ts";
import { monthlyGiftsRouter } from "./http/monthly-gifts.ts";
import { connectWebhookRouter } from "./payments/connect-webhook.ts";
import { testOnboardingRouter } from "./payments/test-onboarding.ts";
import { checkWebhookEndpoints } from "./payments/webhook-endpoints-check.ts";
import { ngoPaymentsAccountRouter } from "./http/ngo-payments-account.ts";
import { giftIdsOfNgo } from "./services/payments-account.ts";
import { type TransferOutbox, type TransferOutboxOptions, transferOutbox } from "./payments/ngo-transfers-outbox.ts";
import { type WebhookDeps, webhookRouter } from "./payments/webhook.ts";
import { startWaitingEventSweeper } from "./payments/waiting-events.ts";
import { publishVillageEvent } from "./realtime/village-events.ts";
import { announceSessionsEnded } from "./realtime/room-access.ts";
import { publishCatalogChanged } from "./realtime/catalog-events.ts";
import { ngoCatalogRouter } from "./http/ngo-catalog.ts";
import { catalogRouter } from "./http/catalog-route.ts";
import { compressResponses } from "./http/compress-responses.ts";
import { catalogCache } from "./services/catalog-cache.ts";
import { opsRouter } from "./http/ops-routes.ts";
import { hameauMetrics } from "./observability/hameau-metrics.ts";
import { requestId } from "./observability/request-context.ts";
import { measured } from "./rooms/measured-room.ts";
import { pushNotificationOf, pushOrderPaidOf, pushReferralsOf } from "./realtime/player-events.ts";
import { announceCampaignsOfOrder } from "./realtime/campaign-events.ts";
import { reachMilestonesOfOrder } from "./realtime/milestone-events.ts";
import { announceFundraiserOfOrder } from "./realtime/fundraiser-events.ts";
import { fundraisersRouter } from "./http/fundraisers.ts";
import { CampaignRoom } from "./rooms/CampaignRoom.ts";
import { type CampaignLiveFeed, campaignLiveFeed } from "./realtime/campaign-live-feed.ts";
import { campaignLiveRouter } from "./http/campaign-live.ts";
import { embedScriptRouter } from "./http/embed-script.ts";
import { embedPageRouter } from "./http/embed-page.ts";
import { embedSitesRouter } from "./http/embed-sites.ts";
import { notificationsRouter } from "./http/notifications.ts";
import { ngoAccountsRouter } from "./http/ngo-accounts.ts";
import { ngoAdminRouter } from "./http/ngo-admin.ts";
import { impactUpdatesRouter } from "./http/impact-updates.ts";
import { progressRouter } from "./http/progress.ts";
import { collectionsRouter } from "./http/collections.ts";
import { fundTrailRouter } from "./http/fund-trail.ts";
import { myImpactRouter } from "./http/my-impact.ts";
import { ngoReportsRouter } from "./http/ngo-reports.ts";
import { ngoMoneyRouter } from "./http/ngo-money.ts";
import { paymentAlertsRouter } from "./http/payment-alerts.ts";
import { watchForStartedEmergencies } from "./realtime/emergency-watch.ts";
import { startPhotoSweeper } from "./services/photo-sweeper.ts";
import { type DedicationDelivery, placeStrandedGifts, startDedicationDelivery } from "./services/dedication-delivery.ts";
import { type ImpactDigests, startImpactDigests } from "./services/impact-digest.ts";
import { digestUnsubscribeRouter } from "./http/digest-unsubscribe.ts";
import { VillageRoom } from "./rooms/VillageRoom.ts";
import { type RoomJoinLimits, matchmakingDoor } from "./rooms/matchmaking-door.ts";

export interface Hameau {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  url: string;
  database: Database;
  logger: Logger;
  /** The NGO transfers outbox of this process. */
  transfers: TransferOutbox;
  /** Delivers dedicated gifts on their date (services/dedication-delivery.ts). */
  dedications: DedicationDelivery;
  /** Queues the monthly impact digests (services/impact-digest.ts). */
  digests: ImpactDigests;
  /** Every HTTP route, "METHOD /path" (server/http/route-list.ts). */
  routes: string[];
  /** The live campaign feed's upstreams and streams in this process. */
  liveFeed: CampaignLiveFeed;
  /** Marks the process as draining: /readyz answers 503 from now on (SIGTERM, before close). */
  drain(): void;
  /** Announces a catalog change to every process (for writes made outside the API, e.g. tests and scripts). */
  catalogChanged(giftIds: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Overrides the database target derived from the config (tests). */
  database?: DatabaseTarget;
  /** The clock (epoch ms) the rooms' rules use: Date.now unless a test moves time forward. */
  now?: () => number;
  /** How often this process looks for emergency campaigns that started (default 15 s; tests shorten it). */
  emergencyCheckMs?: number;
  /** The NGO transfers outbox's sweep and retry timings (tests shorten them). */
  transfers?: TransferOutboxOptions;
  /** How often this process deletes photos no update showed within a day (default hourly; tests shorten it). */
  photoSweepMs?: number;
  /** How often dedications due are looked for (default 60 s). */
  dedicationSweepMs?: number;
  /** How often the monthly impact digests due are looked for (default hourly). */
  digestSweepMs?: number;
  /** How often village rooms check their connections' sessions for expiry (default 60 s; tests shorten it). */
  sessionCheckMs?: number;
  /** Room joins allowed per minute (defaults from the environment; tests lower them). */
  roomJoinLimits?: RoomJoinLimits;
  /** How often the live campaign feed sends its heartbeat comment (default 25 s; tests shorten it). */
  liveHeartbeatMs?: number;
}

export async function startHameau(config: Config, opts: StartOptions = {}): Promise<Hameau> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const stripe = createStripe(config);
  // With real keys, Stripe must be set to send every event Hameau needs, or nothing starts.
  if (stripe) await checkWebhookEndpoints(stripe, config.publicUrl);
  const target: DatabaseTarget = opts.database
    ?? (config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: path.join(config.dataDir, "pglite") });
  const database = await openDatabase(target, { onIdleError: (err) => logger.warn({ err }, "idle database connection lost") });
  if (config.seedDemo) await seedDemo(database.db, { payments: config.stripe.mode });
  const { db } = database;

  const redis = config.redisUrl ? redisOptions(config.redisUrl, config.redisPrefix) : undefined;
  const presence: Presence = redis ? new RedisPresence(redis) : new LocalPresence();
  const driver = redis ? new RedisDriver(redis) : new LocalDriver();
  // Rate limits count in Redis when processes share it, so a limit holds across all of them.
  const limiterRedis = redis ? new Redis({ ...redis, lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
  const stores: LimiterStores = limiterRedis ? redisStores(limiterRedis) : memoryStores;
  const signInAttempts = limiterRedis ? new RedisSignInAttempts(limiterRedis) : new MemorySignInAttempts();

  let boundPort = config.port;
  let mailQueue: MailQueue | undefined;
  const selfUrl = () => `http://127.0.0.1:${boundPort}`;
  const publicUrl = () => config.publicUrl ?? `http://localhost:${boundPort}`;
  const transfers = transferOutbox({ db, stripe, logger }, opts.transfers);

  const now = opts.now ?? Date.now;
  let draining = false;
  const metrics = hameauMetrics({ database, draining: () => draining });
  const app = express();
  app.disable("x-powered-by");
  // First: the request id on every log line of the request, and every answer counted.
  app.use(requestId, metrics.http);
  // Behind reverse proxies (TRUST_PROXY), req.ip is the client's address from X-Forwarded-For, and every
  // rate limit keys on it; without it the header is ignored, so nobody escapes a limit by sending one.
  app.set("trust proxy", config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "img-src": ["'self'", "data:", "blob:"],
          // 'self' covers the page's own ws:/wss: origin (CSP 3); the game server is the page's origin.
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "upgrade-insecure-requests": null,
        },
      },
    }),
  );
  // Before any route: a URL holding a NUL or a broken character is a 400 (server/http/input-guard.ts).
  app.use(refuseUnstorableUrl);
  // JSON and HTML in br or gzip by Accept-Encoding; never the webhooks' answers, never a stream's events.
  app.use(compressResponses({ skip: (p) => p.startsWith("/webhooks/") }));
  // The shop's catalog from memory, dropped on every announced change (any process) and at its time boundaries.
  const catalog = catalogCache({ db, now, onBuild: () => metrics.catalogBuilds.inc() });
  await catalog.watch(presence);
  app.use(catalogRouter(catalog));
  // /healthz, /readyz and /metrics (http/ops-routes.ts).
  app.use(opsRouter({
    database, draining: () => draining, metrics: metrics.registry, metricsToken: config.metricsToken, payments: config.stripe.mode,
    ...(limiterRedis ? { pingRedis: () => limiterRedis.ping() } : {}),
  }));
  // Before any body parser: the door reads matchmaking bodies itself, capped.
  app.use(matchmakingDoor({ db, presence, logger, now, stores, limits: opts.roomJoinLimits ?? roomJoinLimits(config) }));
  const webhookDeps: WebhookDeps = {
    db,
    stripe,
    webhookSecret: config.stripe.webhookSecret,
    logger,
    announce: async (a) => {
      await publishVillageEvent(presence, a.villageId, a);
      await pushNotificationOf({ db, presence, logger }, a);
      await pushOrderPaidOf({ presence, logger }, a);
      await pushReferralsOf({ db, presence, logger }, a);
      await announceCampaignsOfOrder({ db, presence, logger }, a.orderId);
      // A payment may take a campaign to a milestone: its decoration goes to every giver's village.
      if (a.kind === "gifts-granted") await reachMilestonesOfOrder({ db, presence, logger, now }, a.orderId);
      // A gift dedicated for today is delivered now rather than at the next sweep (the sweep decides: once, if due).
      if (a.kind === "gifts-granted") void dedications.sweep();
      // A payment that granted nothing may be a dedication cancelled meanwhile: its gifts must stand somewhere.
      if (a.kind === "gifts-granted" && a.itemIds.length === 0) {
        await placeStrandedGifts({ db, presence }, a.orderId).catch((err: unknown) => logger.error({ err, orderId: a.orderId }, "stranded dedicated gifts not placed"));
      }
      await announceFundraiserOfOrder({ db, presence, logger }, a.orderId);
      mailQueue?.kick();
    },
    transfersOwed: () => transfers.kick(),
    mailOwed: () => mailQueue?.kick(),
  };
  app.use(webhookRouter(webhookDeps));
  // This process drops its copy before the response goes; the others when they hear it.
  const catalogChanged = (giftIds: string[]) => (catalog.invalidate(), publishCatalogChanged(presence, { giftIds }));
  const stockChanged = (giftIds: string[]) => void catalogChanged(giftIds).catch((err: unknown) => logger.error({ err }, "catalog change not published"));
  app.use(connectWebhookRouter({ db, connectWebhookSecret: config.stripe.connectWebhookSecret, logger, catalogChanged }));
  if (config.stripe.mode === "test-checkout") {
    app.use(testCheckoutRouter({ db, webhookSecret: config.stripe.webhookSecret, selfUrl, stockChanged }));
    app.use(testOnboardingRouter({ db, connectWebhookSecret: config.stripe.connectWebhookSecret, selfUrl }));
  }
  app.use(express.json({ limit: "32kb" }), refuseUnstorableBody);
  const mailer = createMailer(config.mail, { db, logger });
  if (config.mail.mode === "outbox") app.use(outboxRouter({ db }));
  app.use(receiptsRouter(db, opts.now));
  app.use(monthlyGiftsRouter({ db, stripe, publicUrl, now }));
  if (config.stripe.mode === "test-checkout") app.use(testMonthlyRouter({ db, webhookSecret: config.stripe.webhookSecret, selfUrl, publicUrl }));
  app.use(apiRouter({ db, stripe, publicUrl, guestLimitPerMinute: config.production ? 10 : 1000, stores, now, stockChanged }));
  app.use(ngoCatalogRouter({ db, logger, now, catalogChanged }));
  app.use(ngoPaymentsAccountRouter({
    db, stripe, publicUrl,
    paymentsChanged: async (ngoId) => {
      await catalogChanged(await giftIdsOfNgo(db, ngoId)).catch((err: unknown) => logger.error({ err, ngoId }, "catalog change not published"));
    },
  }));
  // Sessions that ended by a password reset or a guest's sign-up: their tokens no longer open anything
  // (deleted). This is the one place where the connections already open with them are to be closed,
  // as sign-out closes its own; a failure here is logged, never turned into an error after the commit.
  const sessionsEnded: SessionsEndedHook = async (ended) => {
    try {
      logger.info({ reason: ended.reason, sessions: ended.tokenHashes.length }, "sessions ended");
      await announceSessionsEnded(presence, ended.tokenHashes);
    } catch (err) {
      logger.error({ err, reason: ended.reason }, "ended sessions not closed");
    }
  };
  app.use(accountRouter({
    db, presence, mailer, publicUrl, limits: { perAddress: config.production ? 30 : 1000, perEmail: 5 }, stores, signInAttempts, sessionsEnded, now,
  }));
  app.use(friendsRouter({ db, presence, publicUrl, logger }));
  app.use(neighboursRouter({ db, presence, logger }));
  app.use(progressRouter({ db, now, stores }));
  app.use(collectionsRouter({ db, presence, stores }));
  app.use(roomTicketsRouter({ db, stores }));
  app.use(notificationsRouter(db));
  app.use(tutorialRouter({ db }));
  app.use(preferencesRouter({ db }));
  app.use(privacyRouter({ db, presence, logger, stripe }));
  app.use(ngoAccountsRouter({ db, logger, presence, catalogChanged }));
  app.use(ngoAdminRouter({ db, logger, catalogChanged, ...(opts.now ? { now: opts.now } : {}) }));
  const liveFeed = campaignLiveFeed({ db, presence, logger, now }, config.liveStreams, opts.liveHeartbeatMs);
  app.use(campaignLiveRouter(liveFeed));
  // http://localhost sites only outside production rules (local testing of the widget).
  app.use(embedSitesRouter({ db, loopbackHttp: !config.production }));
  app.use(campaignsRouter({ db, presence, logger, now: opts.now ?? Date.now }));
  app.use(referralsRouter({ db }));
  app.use(pledgesRouter({ db, presence, logger, now: opts.now ?? Date.now }));
  app.use(fundraisersRouter({ db, presence, logger, now: opts.now ?? Date.now }));
  app.use(impactUpdatesRouter({ db, presence, logger }));
  app.use(fundTrailRouter({ db, now: opts.now ?? Date.now }));
  app.use(myImpactRouter({ db }));
  app.use(digestUnsubscribeRouter({ db, logger, publicUrl }));
  app.use(ngoReportsRouter(db));
  app.use(ngoMoneyRouter(db));
  app.use(paymentAlertsRouter({ db, logger, ...(opts.now ? { now: opts.now } : {}) }));
  app.use("/api", notFound);
  app.use(embedScriptRouter({ clientDir: config.clientDir }));
  app.use(embedPageRouter({ db, now }));
  // The public pages (/c, /n, /g, /v) and their share cards, server-rendered.
  app.use(publicPagesRouter({ db, logger, now, publicUrl, cards: createCardRenderer({ assetsDir: config.assetsDir }) }));
  app.use(siteRouter({ clientDir: config.clientDir, assetsDir: config.assetsDir }));
  app.use(notFound);
  app.use(errorHandler(logger));

  const httpServer = http.createServer(app);
  restrictCors(config.corsOrigins);
  const gameServer = new Server({
    transport: new WebSocketTransport({ server: httpServer }),
    presence,
    driver,
    greet: false,
    gracefullyShutdown: false,
    // A room is created in the process the player reached, so its websocket lands where the
    // room lives. Rooms already open elsewhere are still found through the shared driver.
    selectProcessIdToCreateRoom: async () => matchMaker.processId,
    // Behind the proxy (deploy/): seat reservations send the socket to `<host>/<PROXY_ROUTE>/<processId>/<roomId>`.
    ...(config.publicAddress ? { publicAddress: config.publicAddress } : {}),
  });
  const villageRoom = VillageRoom.withServices({ db, logger, now, ...(opts.sessionCheckMs ? { sessionCheckMs: opts.sessionCheckMs } : {}) });
  gameServer.define(ROOM_VILLAGE, measured(villageRoom, ROOM_VILLAGE, metrics.rooms)).filterBy(["villageId"]);
  gameServer.define(ROOM_CAMPAIGN, measured(CampaignRoom.withServices({ db, logger, now: opts.now ?? Date.now }), ROOM_CAMPAIGN, metrics.rooms)).filterBy(["campaignId"]);
  await gameServer.listen(config.port, config.host);
  sendMatchmakingThroughTheDoor(httpServer, app);
  boundPort = (httpServer.address() as AddressInfo).port;
  mailQueue = startMailQueue({ db, mailer, logger, publicUrl });
  const emergencies = await watchForStartedEmergencies({ db, presence, logger, now }, opts.emergencyCheckMs);
  // What a crash left owed to the NGOs is made now, then the sweeper looks again periodically.
  transfers.start();
  const sweeper = startWaitingEventSweeper(webhookDeps, { intervalMs: config.waitingEvents.sweepMs, staleAfterMs: config.waitingEvents.staleAfterMs });
  const photoSweeper = await startPhotoSweeper({ db, logger, now }, opts.photoSweepMs);
  const dedications = startDedicationDelivery({ db, mailer, logger, presence, publicUrl, now }, opts.dedicationSweepMs);
  const digests = startImpactDigests({ db, logger, now, mailOwed: () => mailQueue?.kick() }, opts.digestSweepMs);
  logger.info(
    {
      port: boundPort, database: database.kind, payments: config.stripe.mode, mail: config.mail.mode, redis: Boolean(config.redisUrl),
      productionRules: config.production, trustProxy: config.trustProxy,
    },
    `Hameau listening on http://localhost:${boundPort}`,
  );

  let closing: Promise<void> | undefined;
  return {
    port: boundPort,
    url: `http://127.0.0.1:${boundPort}`,
    database,
    logger,
    transfers,
    dedications,
    digests,
    routes: routesOf(app),
    liveFeed,
    catalogChanged,
    drain() {
      draining = true;
    },
    close() {
      closing ??= (async () => {
        // Open event streams first: they would keep the HTTP server from closing.
        await liveFeed.close();
        catalog.close();
        metrics.close();
        emergencies.stop();
        photoSweeper.stop();
        await dedications.stop();
        await digests.stop();
        sweeper.stop();
        await sweeper.idle();
        await transfers.stop();
        await mailQueue?.stop();
        await gameServer.gracefullyShutdown(false);
        httpServer.closeAllConnections();
        mailer.close();
        await limiterRedis?.quit().catch(() => undefined);
        await database.close();
      })();
      return closing;
    },
  };
}

/**
 * Colyseus answers `/matchmake/*` itself, ahead of Express, reading any body whole. Those requests
 * go to the Express app instead, where the matchmaking door (rooms/matchmaking-door.ts) handles them;
 * everything else takes Colyseus's listener as before.
 */
function sendMatchmakingThroughTheDoor(httpServer: http.Server, app: express.Express): void {
  const colyseus = httpServer.listeners("request") as Array<(req: http.IncomingMessage, res: http.ServerResponse) => void>;
  httpServer.removeAllListeners("request");
  httpServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === "/matchmake" || req.url?.startsWith("/matchmake/") || req.url?.startsWith("/matchmake?")) return void app(req, res);
    for (const listener of colyseus) listener.call(httpServer, req, res);
  });
}

/** Room joins per minute: per session always 20; per address 120 in production (shared addresses behind NAT), more elsewhere. */
function roomJoinLimits(config: Config): RoomJoinLimits {
  return { perAddress: config.env === "production" ? 120 : 1000, perSession: 20 };
}
