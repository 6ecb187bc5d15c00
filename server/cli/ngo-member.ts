/**
 * `npm run ngo:member -- --ngo <slug> --email <email> --role admin|editor|viewer` — makes the
 * account with this email a member of the NGO with this role, or changes their role, on the
 * configured database (for operators and demos; in the console, NGO admins add members by their
 * public name). Idempotent; refuses to demote an NGO's last admin.
 * Exit codes: 0 done (or nothing to change), 1 unknown NGO or email, or last admin, 2 usage error.
 */
import { parseArgs } from "node:util";
import { NGO_ROLES, isNgoRole } from "../../shared/ngo-roles.ts";
import { setMemberRole } from "../services/ngo-team.ts";
import { accountByEmail, ngoBySlug } from "../services/platform-admins.ts";
import { openConfiguredDatabase } from "./configured-database.ts";

const USAGE = `usage: npm run ngo:member -- --ngo <slug> --email <email> --role ${NGO_ROLES.join("|")}`;

function usage(message: string): never {
  console.error(`ngo:member: ${message}\n${USAGE}`);
  process.exit(2);
}

let values: { ngo?: string | undefined; email?: string | undefined; role?: string | undefined };
try {
  values = parseArgs({ options: { ngo: { type: "string" }, email: { type: "string" }, role: { type: "string" } }, strict: true }).values;
} catch (err) {
  usage((err as Error).message);
}
const slug = values.ngo?.trim();
const email = values.email?.trim();
const role = values.role?.trim();
if (!slug) usage("--ngo is required (the NGO's slug)");
if (!email) usage("--email is required");
if (!isNgoRole(role)) usage(`--role must be one of ${NGO_ROLES.join(", ")}`);

const database = await openConfiguredDatabase();
try {
  const ngo = await ngoBySlug(database.db, slug);
  const account = ngo ? await accountByEmail(database.db, email) : null;
  if (!ngo) {
    console.error(`ngo:member: no NGO has the slug ${slug}`);
    process.exitCode = 1;
  } else if (!account) {
    console.error(`ngo:member: no account has the email ${email} (sign up and confirm the email first)`);
    process.exitCode = 1;
  } else {
    const result = await setMemberRole(database.db, ngo.id, account.playerId, role);
    if (!result.ok) {
      console.error(`ngo:member: ${result.message}`);
      process.exitCode = 1;
    } else {
      const what = { added: "is now", changed: "is now", unchanged: "already is" }[result.change];
      console.log(`ngo:member: ${account.name} (${account.email}) ${what} ${role} of ${ngo.name} (${slug})`);
    }
  }
} finally {
  await database.close();
}
