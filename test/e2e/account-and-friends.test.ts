/**
 * Accounts and friends in the browser: a guest signs up through the account
 * dialog, chooses the password from the mailed link and keeps their village;
 * a forgotten password is reset from a mailed link; adds a friend by name (the friend signed up
 * through the API), the friend accepts (API), the friends list shows them;
 * a privacy setting changed in the dialog is what GET /api/me says; an
 * invite link opened as a guest, naming who invited; a friend request ringing
 * the bell live and accepted from it; a gift into a friend's village and the
 * friend's bell; the data export and the account deletion.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse } from "../../shared/api.ts";
import { EXPORT_FORMAT, type DataExport } from "../../shared/privacy.ts";
import type { FriendsResponse } from "../../shared/social.ts";
import { mailedConfirmationToken, outboxFor, resetToken, signUpAccount, uniqueSuffix } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Hooks {
  ready: boolean;
  itemCount(): number;
}

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const ready = (page: Page) =>
  page.waitForFunction(() => (window as Window & { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
const token = (page: Page) => page.evaluate(() => localStorage.getItem("hameau.token"));
/** Waits for what the page or the server says (the machine may be busy: up to 10 s). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });
const me = async (t: string) => (await server.api<MeResponse>("/api/me", { token: t })).body;

describe("accounts and friends in the game", () => {
  it("a guest signs up and keeps their village, befriends a player by name, and sets their privacy", { timeout: 120_000 }, async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + "/?lang=en");
    await ready(page);
    const guestToken = (await token(page))!;
    const guest = await me(guestToken);
    expect(guest.account).toBeNull();
    const items = await page.evaluate(() => (window as Window & { hameau?: Hooks }).hameau!.itemCount());

    // A guest opening Friends learns why an account is needed, and is taken to sign up.
    await page.locator("#open-friends").click();
    await eventually(() => page.locator("#friends").textContent()).toMatch(/need an account/i);
    await page.locator("#friends-need-account").click();
    await eventually(() => page.locator("#account").isVisible()).toBe(true);
    await eventually(() => page.locator("#account-why").textContent()).toMatch(/Friends need an account/);

    // Field errors from the API show under their fields. No password here: it is chosen from the mailed link.
    const name = `Lea ${uniqueSuffix()}`;
    expect(await page.locator("#signup-password").count()).toBe(0);
    await page.locator("#signup-name").fill(name);
    await page.locator("#signup-email").fill("not-an-email");
    await page.locator("#signup-submit").click();
    await eventually(() => page.locator("#signup-email-error").textContent()).toMatch(/valid email/);
    await screenshot(page, "social-01-signup-errors");

    // Sign up: the answer is "check your inbox"; the mailed link asks for the password, then opens the
    // account, with the same player and village (the link is opened in the guest's browser).
    const email = `lea.${uniqueSuffix()}@example.org`;
    await page.locator("#signup-email").fill(email);
    await page.locator("#signup-submit").click();
    await eventually(() => page.locator("#account .dialog-toast").textContent()).toMatch(/Check your inbox/);
    expect(await me(guestToken)).toMatchObject({ account: null });
    // Sent: the form is empty and usable again (no "Creating your account…" left), also once the dialog is reopened.
    await eventually(() => page.locator("#signup-submit").textContent()).toBe("Create my account");
    expect(await page.locator("#signup-submit").isEnabled()).toBe(true);
    expect(await page.locator("#signup-name").inputValue()).toBe("");
    await page.keyboard.press("Escape");
    await eventually(() => page.locator("#account").isVisible()).toBe(false);
    await page.locator("#open-account").click();
    await eventually(() => page.locator("#account").isVisible()).toBe(true);
    expect(await page.locator("#signup-submit").textContent()).toBe("Create my account");
    expect(await page.locator("#signup-submit").isEnabled()).toBe(true);
    expect(await page.locator("#signup-name").isEditable()).toBe(true);
    await page.keyboard.press("Escape");
    await page.goto(`${server.url}/?confirm=${encodeURIComponent(await mailedConfirmationToken(server.url, email))}&lang=en`);
    await ready(page);
    expect(page.url()).not.toContain("confirm=");
    await eventually(() => page.locator("#confirm-title").textContent()).toBe("Choose your password");
    // The name given at sign-up is shown, and could be changed here.
    await eventually(() => page.locator("#confirm-name").inputValue()).toBe(name);
    await page.locator("#confirm-password").fill("short");
    await page.locator("#confirm-submit").click();
    await eventually(() => page.locator("#confirm-password-error").textContent()).toMatch(/at least 10/);
    await page.locator("#confirm-password").fill("a long enough password");
    await screenshot(page, "social-01b-choose-password");
    await Promise.all([page.waitForEvent("load"), page.locator("#confirm-submit").click()]);
    await ready(page);
    const accountToken = (await token(page))!;
    expect(accountToken).not.toBe(guestToken);
    const account = await me(accountToken);
    expect(account.account).not.toBeNull();
    expect(account.player.id).toBe(guest.player.id);
    expect(account.villageId).toBe(guest.villageId);
    expect(await page.evaluate(() => (window as Window & { hameau?: Hooks }).hameau!.itemCount())).toBe(items);
    expect((await server.api("/api/me", { token: guestToken })).status).toBe(401);
    await eventually(() => page.locator("#toast").textContent()).toMatch(/Welcome/);

    // Add a friend by name (they signed up through the API); they accept through the API.
    const friend = await signUpAccount(server, "Sam");
    await page.locator("#open-friends").click();
    await eventually(() => page.locator("#friends-empty").isVisible()).toBe(true);
    await page.locator("#friend-name").fill(friend.player.name);
    await page.locator("#friend-send").click();
    await eventually(() => page.locator("#friends-outgoing").textContent()).toContain(friend.player.name);
    const incoming = await server.api<FriendsResponse>("/api/friends", { token: friend.token });
    expect(incoming.body.friends).toEqual([expect.objectContaining({ status: "incoming", player: { id: guest.player.id, name } })]);
    expect((await server.api(`/api/friends/${guest.player.id}/accept`, { method: "POST", token: friend.token })).status).toBe(204);

    // The list shows the friend (read again when the dialog opens), with a Visit button.
    await page.locator("#friends button.receipts-close").click();
    await page.locator("#open-friends").click();
    const row = page.locator(`#friends-list [data-player-id="${friend.player.id}"]`);
    await eventually(() => row.count()).toBe(1);
    expect(await row.locator('[data-action="visit"]').getAttribute("data-village-id")).toBe(friend.villageId);
    expect(await page.locator("#friends-outgoing").count()).toBe(0);
    await page.locator("#invite-create").click();
    await eventually(() => page.locator("#invite-url").inputValue()).toMatch(/\/\?invite=hi_/);
    await screenshot(page, "social-02-friends");
    await page.keyboard.press("Escape");

    // Privacy: both private by default; making the village public persists.
    await page.locator("#open-account").click();
    await eventually(() => page.locator("#privacy-visibility-friends").isChecked()).toBe(true);
    expect(await page.locator("#privacy-presence").isChecked()).toBe(false);
    expect(await page.locator("#privacy-leaderboards").isChecked()).toBe(false);
    await page.locator('label[for="privacy-visibility-public"]').click();
    await eventually(async () => (await me(accountToken)).settings.villageVisibility).toBe("public");
    await page.locator(".privacy-switch", { has: page.locator("#privacy-presence") }).click();
    await eventually(async () => (await me(accountToken)).settings.showPresence).toBe(true);
    await eventually(() => page.locator("#account .dialog-toast").textContent()).toMatch(/Saved/);
    await screenshot(page, "social-03-account");
    // The refused requests are the sign-up and the password with bad fields, which Chromium logs.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(2);
    await context.close();
  });

  it("opens an invite link as a guest, asks for an account, and makes friends after sign-up (phone, in French)", { timeout: 60_000 }, async () => {
    const inviter = await signUpAccount(server, "Ada");
    const invite = await server.api<{ url: string }>("/api/friends/invites", { method: "POST", token: inviter.token });
    const context = await browser.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const link = new URL(invite.body.url);
    await page.goto(`${server.url}/${link.search}&lang=fr`);
    await ready(page);
    // The invite names who sent it (a text, read from the server once the page knows the link).
    await eventually(() => page.locator("#account-why").textContent()).toBe(
      `${inviter.player.name} vous invite dans son village ! Créez un compte (votre village vous suit) ou connectez-vous, et vous serez amis aussitôt.`,
    );
    expect(page.url()).not.toContain("invite=");
    await page.locator("#signup-name").fill(`Bo ${uniqueSuffix()}`);
    const email = `bo.${uniqueSuffix()}@example.org`;
    await page.locator("#signup-email").fill(email);
    await screenshot(page, "social-04-phone-invite");
    await page.locator("#signup-submit").click();
    await eventually(() => page.locator("#account .dialog-toast").textContent()).toMatch(/boîte/);
    await page.goto(`${server.url}/?confirm=${encodeURIComponent(await mailedConfirmationToken(server.url, email))}&lang=fr`);
    await ready(page);
    await eventually(() => page.locator("#confirm-title").textContent()).toBe("Choisissez votre mot de passe");
    await page.locator("#confirm-password").fill("un mot de passe assez long");
    await Promise.all([page.waitForEvent("load"), page.locator("#confirm-submit").click()]);
    await ready(page);
    await eventually(async () => (await server.api<FriendsResponse>("/api/friends", { token: inviter.token })).body.friends)
      .toEqual([expect.objectContaining({ status: "friend" })]);
    await eventually(() => page.locator("#toast").textContent()).toBe(`${inviter.player.name} et vous êtes maintenant amis !`);
    await page.locator("#open-friends").click();
    await eventually(() => page.locator(`#friends-list [data-player-id="${inviter.player.id}"]`).count()).toBe(1);
    await screenshot(page, "social-05-phone-friends");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("rings the bell as soon as a friend request is sent, accepts it from the bell, and names the inviter on an invite page (laptop)", { timeout: 60_000 }, async () => {
    const [alice, noa] = [await signUpAccount(server, "Alice"), await signUpAccount(server, "Noa")];
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((t) => localStorage.setItem("hameau.token", t), noa.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + "/?lang=en");
    await ready(page);
    expect(await page.locator("#open-notifications .topbar-badge").isHidden()).toBe(true);

    // Sent while Noa plays: the bell and the Friends button count it within seconds (their polls are 30 s and 60 s).
    expect((await server.api("/api/friends/requests", { token: alice.token, body: { name: noa.player.name } })).status).toBe(201);
    await expect.poll(() => page.locator("#open-notifications .topbar-badge").textContent(), { timeout: 5000 }).toBe("1");
    await expect.poll(() => page.locator("#open-friends .topbar-badge").textContent(), { timeout: 5000 }).toBe("1");
    await page.locator("#open-notifications").click();
    const row = page.locator('#notification-list [data-kind="friend_request"]');
    await eventually(() => row.locator(".notification-text").textContent()).toBe(`${alice.player.name} would like to be your friend.`);
    await screenshot(page, "social-09-friend-request");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "social-09b-friend-request-phone");
    await page.setViewportSize({ width: 1280, height: 800 });

    // Accepted from the bell: the row goes, they are friends, and Alice is told.
    await row.locator("button[data-accept-friend]").click();
    await eventually(() => row.count()).toBe(0);
    await eventually(async () => (await server.api<FriendsResponse>("/api/friends", { token: noa.token })).body.friends.map((f) => f.status)).toEqual(["friend"]);
    const told = (await server.api<{ notifications: Array<{ kind: string }> }>("/api/notifications", { token: alice.token })).body.notifications;
    expect(told.map((n) => n.kind)).toEqual(["friend_accepted"]);
    await page.keyboard.press("Escape");
    await eventually(() => page.locator("#open-friends .topbar-badge").isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();

    // Alice's invite link, opened by a guest on a laptop: the page says who invited them.
    const invite = await server.api<{ url: string }>("/api/friends/invites", { method: "POST", token: alice.token });
    const guest = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const guestPage = await guest.newPage();
    const guestErrors = watchErrors(guestPage);
    await guestPage.goto(`${server.url}/${new URL(invite.body.url).search}&lang=en`);
    await ready(guestPage);
    await eventually(() => guestPage.locator("#account-why").textContent()).toBe(
      `${alice.player.name} invited you to their village! Create an account (your village comes with you) or sign in, and you will be friends right away.`,
    );
    await screenshot(guestPage, "social-10-invite-laptop");
    expect(guestErrors).toEqual([]);
    await guest.close();
  });

  it("gives a gift into a friend's village with the giver's name, and the friend reads it under the bell", { timeout: 60_000 }, async () => {
    const ann = await signUpAccount(server, "Ann");
    const ben = await signUpAccount(server, "Ben");
    expect((await server.api("/api/friends/requests", { token: ann.token, body: { name: ben.player.name } })).status).toBe(201);
    expect((await server.api(`/api/friends/${ann.player.id}/accept`, { method: "POST", token: ben.token })).status).toBe(204);

    const giver = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await giver.addInitScript((t) => localStorage.setItem("hameau.token", t), ann.token);
    const page = await giver.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + "/?lang=en");
    await ready(page);
    await page.locator("#open-friends").click();
    await page.locator(`#friends-list [data-player-id="${ben.player.id}"] [data-action="visit"]`).click();
    await eventually(() => page.locator("#basket-recipient").textContent()).toContain(`This gift goes to ${ben.player.name}'s village`);
    await page.locator('#shop [data-gift-slug="chevre"] button.add').click();
    expect(await page.locator("#show-giver-name").isChecked()).toBe(false);
    await page.locator("#show-giver-name").check();
    await eventually(() => page.locator("#basket-recipient").textContent()).toContain("will see your name");
    await screenshot(page, "social-06-gift-to-friend");
    await page.locator("#give").click();
    await page.waitForURL(/\/checkout\/test\//);
    await page.locator("#pay").click();
    await page.waitForURL(/\/\?order=/);

    const friend = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await friend.addInitScript((t) => localStorage.setItem("hameau.token", t), ben.token);
    const benPage = await friend.newPage();
    const benErrors = watchErrors(benPage);
    await benPage.goto(server.url + "/?lang=en");
    await ready(benPage);
    await eventually(() => benPage.locator("#open-notifications .topbar-badge").textContent()).toBe("1");
    await benPage.locator("#open-notifications").click();
    await eventually(() => benPage.locator("#notification-list").textContent()).toContain(`${ann.player.name} gave you a goat`);
    await eventually(async () => (await server.api<{ unread: number }>("/api/notifications", { token: ben.token })).body.unread).toBe(0);
    await screenshot(benPage, "social-07-notifications");
    await benPage.keyboard.press("Escape");
    expect(await benPage.locator("#open-notifications .topbar-badge").isHidden()).toBe(true);
    expect(errors).toEqual([]);
    expect(benErrors).toEqual([]);
    await giver.close();
    await friend.close();
  });

  it("forgets the password: \"Forgot password?\" mails a link whose form sets a new one and signs out every other device", { timeout: 60_000 }, async () => {
    const kim = await signUpAccount(server, "Kim");
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + "/?lang=en");
    await ready(page);
    await page.locator("#open-account").click();
    await page.locator("#forgot-open").click();
    await page.locator("#forgot-email").fill(kim.email);
    await screenshot(page, "social-08a-forgot-password");
    await page.locator("#forgot-submit").click();
    await eventually(() => page.locator("#account .dialog-toast").textContent()).toMatch(/choose a new password within an hour/);
    const [mail] = await outboxFor(server.url, kim.email);
    await page.goto(`${server.url}/?reset=${encodeURIComponent(resetToken(mail!.text)!)}&lang=en`);
    await ready(page);
    expect(page.url()).not.toContain("reset=");
    await eventually(() => page.locator("#reset-title").textContent()).toBe("Choose a new password");
    await page.locator("#reset-password").fill("my brand new password");
    await screenshot(page, "social-08b-reset-password");
    await Promise.all([page.waitForEvent("load"), page.locator("#reset-submit").click()]);
    await ready(page);
    const signedIn = await me((await token(page))!);
    expect(signedIn.player.id).toBe(kim.player.id);
    expect((await server.api("/api/me", { token: kim.token })).status).toBe(401);
    await eventually(() => page.locator("#toast").textContent()).toMatch(/new password is saved/);
    expect((await server.api("/api/account/signin", { body: { email: kim.email, password: "my brand new password" } })).status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("downloads the player's data, then deletes the account with the typed word and the password", { timeout: 60_000 }, async () => {
    const zoe = await signUpAccount(server, "Zoe");
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await context.addInitScript((t) => {
      // Only the first load plays the account; after the deletion's reload the page keeps its new guest.
      if (!sessionStorage.getItem("seeded")) localStorage.setItem("hameau.token", t);
      sessionStorage.setItem("seeded", "1");
    }, zoe.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + "/?lang=en");
    await ready(page);
    await page.locator("#open-account").click();
    await eventually(() => page.locator("#account-email").textContent()).toMatch(/@example\.org$/);

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-data").click()]);
    expect(download.suggestedFilename()).toMatch(/^hameau-export-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, "utf8")) as DataExport;
    expect(exported.format).toBe(EXPORT_FORMAT);
    expect(exported.player.id).toBe(zoe.player.id);
    expect(exported.village.id).toBe(zoe.villageId);

    // A wrong password is refused under its field, and nothing is deleted.
    await page.locator("#delete-open").click();
    await page.locator("#delete-confirm").fill("DELETE");
    await page.locator("#delete-password").fill("not the password at all");
    await page.locator("#delete-submit").click();
    await eventually(() => page.locator("#delete-password-error").textContent()).toBe("Wrong password.");
    expect((await server.api("/api/me", { token: zoe.token })).status).toBe(200);
    await screenshot(page, "social-08-delete");

    await page.locator("#delete-password").fill("a long test password");
    await Promise.all([page.waitForEvent("load"), page.locator("#delete-submit").click()]);
    await ready(page);
    expect((await server.api("/api/me", { token: zoe.token })).status).toBe(401);
    const fresh = await me((await token(page))!);
    expect(fresh.account).toBeNull();
    expect(fresh.villageId).not.toBe(zoe.villageId);
    await eventually(() => page.locator("#toast").textContent()).toMatch(/account is deleted/);
    // The wrong password's 401 is the one refused request, which Chromium logs.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await context.close();
  });
});
