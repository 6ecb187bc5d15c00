/**
 * `npm run admin:grant -- --email <email>` — makes the account with this email a platform
 * administrator (who approves NGO applications), on the configured database (DATABASE_URL, or
 * the PGlite data folder; stop a server using the same PGlite folder first). Idempotent.
 * Exit codes: 0 granted or already granted, 1 no account has this email, 2 usage error.
 */
import { parseArgs } from "node:util";
import { accountByEmail, grantPlatformAdmin } from "../services/platform-admins.ts";
import { openConfiguredDatabase } from "./configured-database.ts";

const USAGE = "usage: npm run admin:grant -- --email <email>";

let email: string | undefined;
try {
  email = parseArgs({ options: { email: { type: "string" } }, strict: true }).values.email?.trim();
} catch (err) {
  console.error(`admin:grant: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!email) {
  console.error(`admin:grant: --email is required\n${USAGE}`);
  process.exit(2);
}

const database = await openConfiguredDatabase();
try {
  const account = await accountByEmail(database.db, email);
  if (!account) {
    console.error(`admin:grant: no account has the email ${email} (sign up and confirm the email first)`);
    process.exitCode = 1;
  } else if (await grantPlatformAdmin(database.db, account.playerId)) {
    console.log(`admin:grant: ${account.name} (${account.email}) is now a platform administrator`);
  } else {
    console.log(`admin:grant: ${account.name} (${account.email}) already is a platform administrator`);
  }
} finally {
  await database.close();
}
