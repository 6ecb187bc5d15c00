/**
 * The NGO console's admin forms in Chromium, driven the way an NGO member
 * would: an admin adds a member by player name with a role and changes that
 * role from the Members screen; an admin saves the NGO's settings (a new
 * purpose); a player with no NGO applies through the Apply form (every
 * field) and a platform administrator approves the application from the
 * Applications screen. Each result is checked through the API or the database.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { MyNgosResponse, NgoMembersResponse, NgoSettingsView } from "../../shared/ngo-accounts.ts";
import { ngoMembers, ngos } from "../../server/db/schema.ts";
import { signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { addNgoMember, insertTestNgo, makeTestPlatformAdmin } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const LAPTOP = { width: 1280, height: 800 };

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let ngo: Awaited<ReturnType<typeof insertTestNgo>>;
let admin: SessionResponse;
let newcomer: SessionResponse;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/console.html"))) throw new Error("dist/client/console.html is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  // An NGO made the way operators make one (no address or signatory yet), run by one admin.
  ngo = await insertTestNgo(server, { name: "Epsilon Orchards" });
  [admin, newcomer] = await Promise.all([signUpAccount(server, "EpsAdmin"), signUpAccount(server, "EpsNew")]);
  await addNgoMember(server, ngo.id, admin.player.id, "admin");
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(token: string): Promise<BrowserContext> {
  const context = await browser.browser.newContext({ viewport: LAPTOP });
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  return context;
}

async function openConsole(page: Page, hash = ""): Promise<void> {
  await page.goto(`${server.url}/console?lang=en${hash}`);
  await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
}

const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));

async function membersOf(ngoId: string, token: string) {
  const res = await server.api<NgoMembersResponse>(`/api/ngos/${ngoId}/members`, { token });
  expect(res.status).toBe(200);
  return res.body.members;
}

describe("the NGO console's admin forms", () => {
  it("invites a member by player name with a role, who accepts in their console, then changes the role", async () => {
    const context = await signedIn(admin.token);
    const page = await context.newPage();
    page.on("dialog", (d) => void d.accept());
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${ngo.id}/members`);
    await expect.poll(() => page.locator("#members-table [data-player-id]").count()).toBe(1);

    await page.fill("#member-form-name", newcomer.player.name);
    await page.selectOption("#member-form-role", "editor");
    await page.locator("#member-form-submit").click();
    // An invitation, not a member yet: the newcomer has no role until they accept.
    await expect.poll(() => page.locator(`#invitations-table [data-player-id="${newcomer.player.id}"]`).count()).toBe(1);
    expect(await page.locator("#members-table [data-player-id]").count()).toBe(1);

    const theirs = await signedIn(newcomer.token);
    const invitee = await theirs.newPage();
    const inviteeErrors = watchErrors(invitee);
    await openConsole(invitee);
    const invitation = invitee.locator(`#ngo-invitations [data-ngo-id="${ngo.id}"]`);
    await expect.poll(() => invitation.count()).toBe(1);
    expect(await invitation.textContent()).toContain(ngo.name);
    await screenshot(invitee, "ngo-console-admin-00-invitation-laptop");
    await invitation.locator('[data-action="accept"]').click();
    await expect.poll(() => invitee.evaluate(() => location.hash)).toContain(`#/ngo/${ngo.id}`);
    await expect.poll(() => invitee.locator("#ngo-invitations").count()).toBe(0);
    expect(unexpected(inviteeErrors)).toEqual([]);
    await theirs.close();

    await page.reload();
    await page.waitForFunction(() => document.body.classList.contains("ready"), undefined, { timeout: 15_000 });
    await expect.poll(() => page.locator("#members-table [data-player-id]").count()).toBe(2);
    expect((await membersOf(ngo.id, admin.token)).find((m) => m.playerId === newcomer.player.id)).toMatchObject({ name: newcomer.player.name, role: "editor" });
    const row = page.locator(`#members-table [data-player-id="${newcomer.player.id}"]`);
    expect(await row.locator('select[data-action="role"]').inputValue()).toBe("editor");

    // From editor to viewer, through the role select of the member's row.
    await row.locator('select[data-action="role"]').selectOption("viewer");
    await expect.poll(async () => (await membersOf(ngo.id, admin.token)).find((m) => m.playerId === newcomer.player.id)?.role).toBe("viewer");
    await expect.poll(() => page.locator(`#members-table [data-player-id="${newcomer.player.id}"] select[data-action="role"]`).inputValue()).toBe("viewer");
    // The admin stays admin.
    expect((await membersOf(ngo.id, admin.token)).find((m) => m.playerId === admin.player.id)?.role).toBe("admin");
    await screenshot(page, "ngo-console-admin-01-members-laptop");
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("saves the NGO's settings: a new purpose", async () => {
    const context = await signedIn(admin.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, `#/ngo/${ngo.id}/members`);
    await expect.poll(() => page.locator("#settings-form-purpose").count()).toBe(1);
    expect(await page.locator("#settings-form-purpose").inputValue()).toBe("Testing the NGO console");

    const purpose = "Planter et entretenir des vergers partagés.";
    await page.fill("#settings-form-purpose", purpose);
    await page.locator("#settings-form-submit").click();
    await expect.poll(async () => (await server.api<NgoSettingsView>(`/api/ngos/${ngo.id}/settings`, { token: admin.token })).body.purpose).toBe(purpose);
    const settings = (await server.api<NgoSettingsView>(`/api/ngos/${ngo.id}/settings`, { token: admin.token })).body;
    // Nothing else changed.
    // Nothing else changed: the empty address and signatory stay empty (sending them made the save fail).
    expect(settings).toMatchObject({ name: ngo.name, legalName: `${ngo.name} (association)`, status: "approved", slug: ngo.slug, address: null, signatoryName: null });
    expect(await page.locator("#settings-form .c-field-error, #settings-form .c-problem").count()).toBe(0);
    await screenshot(page, "ngo-console-admin-02-settings-laptop");
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("sends an application with every field, which a platform admin approves", async () => {
    const applicant = await signUpAccount(server, "Applicant");
    const context = await signedIn(applicant.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openConsole(page, "#/apply");
    await expect.poll(() => page.locator("#apply-form").count()).toBe(1);

    const name = `Zeta Wells ${uniqueSuffix()}`;
    const fields: Record<string, string> = {
      name, legalName: "Association Zeta Wells", legalStatus: "Association loi 1901 reconnue d'intérêt général",
      registrationNumber: "RNA W751234567", purpose: "Creuser des puits villageois.", contactName: "Awa Diallo",
      contactEmail: "contact@zeta-wells.example", website: "https://zeta-wells.example", address1: "3 place du Marché",
      address2: "Bâtiment B", postalCode: "69001", city: "Lyon", country: "France", signatoryName: "Awa Diallo", signatoryTitle: "Présidente",
    };
    for (const [field, value] of Object.entries(fields)) await page.fill(`#apply-form-${field}`, value);
    await page.locator("#apply-form-submit").click();

    await expect.poll(async () => (await server.api<MyNgosResponse>("/api/me/ngos", { token: applicant.token })).body.memberships.length).toBe(1);
    const [membership] = (await server.api<MyNgosResponse>("/api/me/ngos", { token: applicant.token })).body.memberships;
    expect(membership).toMatchObject({ role: "admin", ngo: { name, status: "pending" } });
    const ngoId = membership!.ngo.id;
    const [row] = await server.hameau.database.db.select().from(ngos).where(eq(ngos.id, ngoId));
    expect(row).toMatchObject({
      name, legalName: fields.legalName, legalStatus: fields.legalStatus, registrationNumber: fields.registrationNumber, purpose: fields.purpose,
      contactName: fields.contactName, contactEmail: fields.contactEmail, website: fields.website, signatoryName: fields.signatoryName,
      signatoryTitle: fields.signatoryTitle, status: "pending",
    });
    const settings = (await server.api<NgoSettingsView>(`/api/ngos/${ngoId}/settings`, { token: applicant.token })).body;
    expect(settings.address).toEqual({ addressLines: ["3 place du Marché", "Bâtiment B"], postalCode: "69001", city: "Lyon", country: "France" });
    // The console opens the new NGO, with the banner saying players see nothing of it yet.
    await expect.poll(() => page.locator("#ngo-select option").allInnerTexts()).toEqual([`${name} · admin`]);
    await expect.poll(() => page.locator("#ngo-status").isVisible()).toBe(true);
    await screenshot(page, "ngo-console-admin-03-applied-laptop");
    expect(unexpected(errors)).toEqual([]);
    await context.close();

    // A platform administrator approves it from the Applications screen, with a receipt prefix.
    const reviewer = await signUpAccount(server, "Reviewer");
    await makeTestPlatformAdmin(server, reviewer.player.id);
    const adminContext = await signedIn(reviewer.token);
    const adminPage = await adminContext.newPage();
    const adminErrors = watchErrors(adminPage);
    await openConsole(adminPage, "#/admin/applications");
    const card = adminPage.locator(`#applications [data-ngo-id="${ngoId}"]`);
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toContain("Association Zeta Wells");
    await adminPage.fill(`#review-${ngoId}-receiptPrefix`, "ZETA");
    await adminPage.fill(`#review-${ngoId}-note`, "Bienvenue.");
    await adminPage.locator(`#review-${ngoId}-submit`).click();
    await expect.poll(async () => (await server.hameau.database.db.select({ status: ngos.status }).from(ngos).where(eq(ngos.id, ngoId)))[0]?.status).toBe("approved");
    const [approved] = await server.hameau.database.db.select().from(ngos).where(eq(ngos.id, ngoId));
    expect(approved).toMatchObject({ status: "approved", receiptPrefix: "ZETA" });
    // Out of the pending list, and the applicant is still its admin.
    await expect.poll(() => card.count()).toBe(0);
    const [still] = await server.hameau.database.db.select().from(ngoMembers).where(eq(ngoMembers.ngoId, ngoId));
    expect(still).toMatchObject({ playerId: applicant.player.id, role: "admin" });
    expect((await server.api<NgoSettingsView>(`/api/ngos/${ngoId}/settings`, { token: applicant.token })).body.status).toBe("approved");
    await screenshot(adminPage, "ngo-console-admin-04-approved-laptop");
    expect(unexpected(adminErrors)).toEqual([]);
    await adminContext.close();
  });
});
