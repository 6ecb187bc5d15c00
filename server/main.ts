/** Entry point: config → database → app → listen. */
import { ConfigError, loadConfig } from "./config.ts";
import { startHameau } from "./app.ts";

try {
  const config = loadConfig();
  const hameau = await startHameau(config);
  if (config.stripe.mode === "test-checkout") {
    hameau.logger.warn("No STRIPE_SECRET_KEY: payments run through the local TEST MODE checkout; no money moves.");
  }
  if (config.mail.mode === "outbox") {
    hameau.logger.warn("No SMTP_URL: mails are not sent but kept in the local TEST MODE outbox at /dev/mail.");
  }
  const stop = async (signal: string) => {
    hameau.logger.info({ signal, drainSeconds: config.drainSeconds }, "shutting down");
    // /readyz answers 503 from now on; the proxy has DRAIN_SECONDS to stop sending new requests here.
    hameau.drain();
    if (config.drainSeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
    await hameau.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
