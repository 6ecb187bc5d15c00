/**
 * The operators' command lines, run as child processes on the database a
 * server uses (a PGlite folder, or a PostgreSQL database): `npm run
 * admin:grant` makes the first platform administrator, `ngo:member` sets a
 * member's role; the restarted server then honours both.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MyNgosResponse, NgoAdminListResponse, NgoApplicationResponse } from "../../shared/ngo-accounts.ts";
import { signUpAccount } from "../support/accounts.ts";
import { persistentDatabase, type TestDatabase } from "../support/database.ts";
import { ngoApplication } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
type Account = Awaited<ReturnType<typeof signUpAccount>>;

let database: TestDatabase;
let server: TestServer | undefined;
let env: Record<string, string>;
let operator: Account, founder: Account, helper: Account;
let ngo: NgoApplicationResponse["ngo"];

/** Runs a command (`node …` or `npm run …`) in the repository against the test database; no other configuration leaks in. */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command === "node" ? process.execPath : command, args, { cwd: REPO, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const adminGrant = (...args: string[]) => run("node", ["server/cli/admin-grant.ts", ...args]);
const ngoMember = (...args: string[]) => run("node", ["server/cli/ngo-member.ts", ...args]);

beforeAll(async () => {
  database = await persistentDatabase();
  const target = database.target;
  env = target.kind === "postgres" ? { DATABASE_URL: target.url } : { DATA_DIR: path.dirname(target.dataDir) };
  server = await startTestServer({ database });
  [operator, founder, helper] = [await signUpAccount(server, "Operator"), await signUpAccount(server, "Founder"), await signUpAccount(server, "Helper")];
  ngo = (await server.api<NgoApplicationResponse>("/api/ngos/applications", { body: ngoApplication(), token: founder.token })).body.ngo;
  // A PGlite folder has one user at a time: the server lets go of it while the commands run.
  await server.stop({ keepDatabase: true });
  server = undefined;
});
afterAll(async () => {
  await server?.stop({ keepDatabase: true });
  await database?.drop();
});

describe("npm run admin:grant", () => {
  it("refuses an unknown email with a clear message and exit code 1", async () => {
    const res = await adminGrant("--email", "nobody-here@example.org");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("no account has the email nobody-here@example.org");
  });

  it("explains its usage with exit code 2", async () => {
    const none = await adminGrant();
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining("--email is required")]);
    const unknownOption = await adminGrant("--mail", operator.email);
    expect([unknownOption.code, unknownOption.stderr]).toEqual([2, expect.stringContaining("usage: npm run admin:grant -- --email <email>")]);
  });

  it("makes the account a platform administrator, through the npm script, and again changes nothing", async () => {
    const first = await run("npm", ["run", "--silent", "admin:grant", "--", "--email", operator.email.toUpperCase()]);
    expect([first.code, first.stdout]).toEqual([0, expect.stringContaining(`${operator.player.name} (${operator.email}) is now a platform administrator`)]);
    const again = await adminGrant("--email", operator.email);
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining("already is a platform administrator")]);
  });
});

describe("npm run ngo:member", () => {
  it("makes an account a member with a role, idempotently", async () => {
    const res = await ngoMember("--ngo", ngo.slug, "--email", helper.email, "--role", "editor");
    expect([res.code, res.stdout]).toEqual([0, expect.stringContaining(`is now editor of ${ngo.name} (${ngo.slug})`)]);
    const again = await ngoMember("--ngo", ngo.slug, "--email", helper.email, "--role", "editor");
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining("already is editor")]);
  });

  it("refuses an unknown NGO or email (1), a bad role (2), and the last admin's demotion (1)", async () => {
    const noNgo = await ngoMember("--ngo", "no-such-ngo", "--email", helper.email, "--role", "viewer");
    expect([noNgo.code, noNgo.stderr]).toEqual([1, expect.stringContaining("no NGO has the slug no-such-ngo")]);
    const noEmail = await ngoMember("--ngo", ngo.slug, "--email", "nobody-here@example.org", "--role", "viewer");
    expect([noEmail.code, noEmail.stderr]).toEqual([1, expect.stringContaining("no account has the email nobody-here@example.org")]);
    const badRole = await ngoMember("--ngo", ngo.slug, "--email", helper.email, "--role", "owner");
    expect([badRole.code, badRole.stderr]).toEqual([2, expect.stringContaining("--role must be one of viewer, editor, admin")]);
    const lastAdmin = await ngoMember("--ngo", ngo.slug, "--email", founder.email, "--role", "viewer");
    expect([lastAdmin.code, lastAdmin.stderr]).toEqual([1, expect.stringContaining("at least one admin")]);
  });
});

describe("the restarted server", () => {
  it("honours what the commands did", async () => {
    server = await startTestServer({ database });
    const mine = await server.api<MyNgosResponse>("/api/me/ngos", { token: operator.token });
    expect(mine.body).toEqual({ memberships: [], platformAdmin: true, invitations: [] });
    const list = await server.api<NgoAdminListResponse>("/api/admin/ngos?status=pending", { token: operator.token });
    expect(list.status).toBe(200);
    expect(list.body.ngos.map((n) => n.id)).toContain(ngo.id);
    const helpers = await server.api<MyNgosResponse>("/api/me/ngos", { token: helper.token });
    expect(helpers.body.memberships).toEqual([{ ngo: { id: ngo.id, slug: ngo.slug, name: ngo.name, status: "pending" }, role: "editor" }]);
    const founders = await server.api<MyNgosResponse>("/api/me/ngos", { token: founder.token });
    expect(founders.body.memberships.map((m) => m.role)).toEqual(["admin"]);
  });
});
