/**
 * NGO accounts and roles, through the real server: applying (accounts only,
 * a message per bad field, nothing written), the platform admins' review,
 * the visible-NGO condition, members and settings by role (a non-member
 * never learns anything, viewers and editors are refused the admin routes),
 * and an NGO that always keeps an admin, even under concurrent demotions.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { MyNgosResponse, NgoAdminListResponse, NgoApplicationResponse, NgoInvitationResponse, NgoMembersResponse, NgoSettingsView } from "../../shared/ngo-accounts.ts";
import type { NotificationMessage, NotificationsResponse } from "../../shared/notifications.ts";
import { gifts, ngoMembers, ngos, projects } from "../../server/db/schema.ts";
import { changeMemberRole, removeMember } from "../../server/services/ngo-team.ts";
import { approvedNgo, ngoIsApproved } from "../../server/services/ngo-visibility.ts";
import { signUpAccount } from "../support/accounts.ts";
import { addNgoMember, insertTestNgo, makeTestPlatformAdmin, ngoApplication } from "../support/ngo.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { joinVillageRoom } from "../support/room-join.ts";

type Account = Awaited<ReturnType<typeof signUpAccount>>;
let server: TestServer;
let founder: Account, stranger: Account, reviewer: Account, editor: Account, viewer: Account;

const rows = async (table: "ngos" | "ngo_members") => {
  const result = (await server.hameau.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: Array<{ n: number }> };
  return Number(result.rows[0]!.n);
};
const apply = (token: string, body: unknown) => server.api<NgoApplicationResponse & ApiErrorBody>("/api/ngos/applications", { body, token });
const error = (res: { body: unknown }) => (res.body as ApiErrorBody).error;

beforeAll(async () => {
  server = await startTestServer();
  const signedUp = await Promise.all(["Founder", "Stranger", "Reviewer", "Editor", "Viewer"].map((p) => signUpAccount(server, p)));
  [founder, stranger, reviewer, editor, viewer] = signedUp as [Account, Account, Account, Account, Account];
  await makeTestPlatformAdmin(server, reviewer.player.id);
});
afterAll(async () => {
  await server?.stop();
});

describe("applying for an NGO", () => {
  it("refuses a guest (an account is needed) and writes nothing", async () => {
    const before = await rows("ngos");
    const guest = await server.guest();
    const res = await apply(guest.token, ngoApplication());
    expect(res.status).toBe(403);
    expect(error(res).code).toBe("account_required");
    expect((await server.api("/api/ngos/applications", { body: ngoApplication() })).status).toBe(401);
    expect(await rows("ngos")).toBe(before);
  });

  it("names every missing field with its own message, and writes nothing", async () => {
    const [ngosBefore, membersBefore] = [await rows("ngos"), await rows("ngo_members")];
    const res = await apply(founder.token, {});
    expect(res.status).toBe(400);
    expect(error(res).code).toBe("bad_request");
    expect(error(res).fields).toEqual({
      name: "name is required",
      legalName: "legal name is required",
      legalStatus: "legal status is required",
      purpose: "purpose is required",
      contactName: "contact name is required",
      contactEmail: "contact email is required",
      address: "address is required (address lines, postal code, city, country)",
      signatoryName: "signatory name is required",
      signatoryTitle: "signatory title is required",
    });
    expect([await rows("ngos"), await rows("ngo_members")]).toEqual([ngosBefore, membersBefore]);
  });

  it("names every bad value with its own message, and writes nothing", async () => {
    const before = await rows("ngos");
    const res = await apply(founder.token, ngoApplication({
      name: "x".repeat(81),
      legalName: "   ",
      contactEmail: "not an email",
      website: "ftp://files.example.org",
      registrationNumber: "r".repeat(61),
      purpose: "Bad\u0007bell",
      address: { addressLines: [], postalCode: "!!", city: "", country: "France" },
      signatoryTitle: "Line\nbreak",
    }));
    expect(res.status).toBe(400);
    expect(error(res).fields).toEqual({
      name: "name has at most 80 characters",
      legalName: "legal name is required",
      contactEmail: "contact email must be an email address",
      website: "website must be an http(s) address, like https://example.org",
      registrationNumber: "registration number has at most 60 characters",
      purpose: "purpose cannot hold control characters",
      "address.addressLines": "at least one address line",
      "address.postalCode": "not a postal code",
      "address.city": "city is required",
      signatoryTitle: "signatory title cannot hold control characters",
    });
    expect(await rows("ngos")).toBe(before);
  });

  it("creates a pending NGO with a slug of its own, whose first admin is the applicant", async () => {
    const body = ngoApplication({ name: "Les Puits Partagés d'Été", website: "", registrationNumber: undefined });
    const res = await apply(founder.token, body);
    expect(res.status).toBe(201);
    expect(res.body.role).toBe("admin");
    expect(res.body.ngo).toMatchObject({
      slug: "les-puits-partages-d-ete", status: "pending", name: "Les Puits Partagés d'Été", legalName: body.legalName,
      contactEmail: body.contactEmail, website: null, registrationNumber: null, receiptPrefix: null, reviewedAt: null, address: body.address,
    });
    const again = await apply(stranger.token, body);
    expect(again.status).toBe(201);
    expect(again.body.ngo.slug).toBe("les-puits-partages-d-ete-2");

    const mine = await server.api<MyNgosResponse>("/api/me/ngos", { token: founder.token });
    expect(mine.body).toEqual({
      memberships: [{ ngo: { id: res.body.ngo.id, slug: "les-puits-partages-d-ete", name: body.name, status: "pending" }, role: "admin" }],
      platformAdmin: false,
      invitations: [],
    });
    expect((await server.api<MyNgosResponse>("/api/me/ngos", { token: reviewer.token })).body).toEqual({ memberships: [], platformAdmin: true, invitations: [] });
  });
});

describe("the platform administrators' review", () => {
  let pending: NgoSettingsView;
  beforeAll(async () => {
    pending = (await apply(founder.token, ngoApplication())).body.ngo;
  });

  it("is refused to every player who is not a platform administrator", async () => {
    const guest = await server.guest();
    for (const token of [founder.token, stranger.token, guest.token]) {
      expect((await server.api("/api/admin/ngos", { token })).status).toBe(403);
      expect((await server.api(`/api/admin/ngos/${pending.id}/approve`, { body: {}, token })).status).toBe(403);
      expect((await server.api(`/api/admin/ngos/${pending.id}/reject`, { body: { note: "no" }, token })).status).toBe(403);
    }
    expect((await server.api("/api/admin/ngos")).status).toBe(401);
    const [row] = await server.hameau.database.db.select({ status: ngos.status }).from(ngos).where(eq(ngos.id, pending.id));
    expect(row!.status).toBe("pending");
  });

  it("lists the applications by status, with who applied", async () => {
    const list = await server.api<NgoAdminListResponse>("/api/admin/ngos?status=pending", { token: reviewer.token });
    expect(list.status).toBe(200);
    expect(list.body.ngos.find((n) => n.id === pending.id)).toMatchObject({ status: "pending", appliedBy: { id: founder.player.id, name: founder.player.name }, reviewedBy: null });
    expect(list.body.ngos.every((n) => n.status === "pending")).toBe(true);
    const bad = await server.api("/api/admin/ngos?status=maybe", { token: reviewer.token });
    expect(bad.status).toBe(400);
    expect(error(bad).fields).toEqual({ status: "status is one of pending, approved, rejected" });
  });

  it("rejects with a note the NGO's admins read, once", async () => {
    const other = (await apply(founder.token, ngoApplication())).body.ngo;
    const noNote = await server.api(`/api/admin/ngos/${other.id}/reject`, { body: {}, token: reviewer.token });
    expect(noNote.status).toBe(400);
    expect(error(noNote).fields).toEqual({ note: "note is required" });
    const res = await server.api<{ ngo: NgoSettingsView }>(`/api/admin/ngos/${other.id}/reject`, { body: { note: "Statuts manquants" }, token: reviewer.token });
    expect(res.status).toBe(200);
    expect(res.body.ngo).toMatchObject({ status: "rejected", reviewNote: "Statuts manquants", receiptPrefix: null });
    expect(res.body.ngo.reviewedAt).toEqual(expect.any(String));
    const settings = await server.api<NgoSettingsView>(`/api/ngos/${other.id}/settings`, { token: founder.token });
    expect(settings.body).toMatchObject({ status: "rejected", reviewNote: "Statuts manquants" });
    const twice = await server.api(`/api/admin/ngos/${other.id}/reject`, { body: { note: "again" }, token: reviewer.token });
    expect([twice.status, error(twice).code]).toEqual([409, "ngo_review_conflict"]);
    const [row] = await server.hameau.database.db.select().from(ngos).where(eq(ngos.id, other.id));
    expect(row).toMatchObject({ reviewedBy: reviewer.player.id, status: "rejected" });
  });

  it("approves with a receipt prefix of its own, once", async () => {
    const badPrefix = await server.api(`/api/admin/ngos/${pending.id}/approve`, { body: { receiptPrefix: "x" }, token: reviewer.token });
    expect(error(badPrefix).fields).toEqual({ receiptPrefix: "receipt prefix has 2 to 12 capital letters or digits" });
    const taken = await server.api(`/api/admin/ngos/${pending.id}/approve`, { body: { receiptPrefix: "SEMSOL" }, token: reviewer.token });
    expect([taken.status, error(taken).code]).toEqual([409, "receipt_prefix_taken"]);
    const res = await server.api<{ ngo: NgoSettingsView }>(`/api/admin/ngos/${pending.id}/approve`, { body: { note: "Bienvenue" }, token: reviewer.token });
    expect(res.status).toBe(200);
    expect(res.body.ngo).toMatchObject({ status: "approved", reviewNote: "Bienvenue", receiptPrefix: "PUITSPARTA" });
    const twice = await server.api(`/api/admin/ngos/${pending.id}/approve`, { body: {}, token: reviewer.token });
    expect([twice.status, error(twice).code]).toEqual([409, "ngo_review_conflict"]);
    // The next NGO with the same start of name gets the next free prefix.
    const next = (await apply(founder.token, ngoApplication())).body.ngo;
    const approved = await server.api<{ ngo: NgoSettingsView }>(`/api/admin/ngos/${next.id}/approve`, { body: {}, token: reviewer.token });
    expect(approved.body.ngo.receiptPrefix).toBe("PUITSPARTA2");
  });

  it("lets players see only approved NGOs (the visible-NGO conditions)", async () => {
    const { db } = server.hameau.database;
    const unseen = (await apply(founder.token, ngoApplication())).body.ngo;
    const [project] = await db.insert(projects).values({ ngoId: unseen.id, slug: `p-${unseen.slug}`, nameFr: "Puits", nameEn: "Wells", country: "SN" }).returning();
    const [gift] = await db.insert(gifts).values({
      slug: `g-${unseen.slug}`, ngoId: unseen.id, projectId: project!.id, nameFr: "Puits", nameEn: "Well", impactFr: "Eau", impactEn: "Water", priceCents: 500, sprite: "well",
    }).returning();
    const seen = async () => {
      const viaJoin = await db.select({ id: gifts.id }).from(gifts).innerJoin(ngos, eq(ngos.id, gifts.ngoId)).where(and(eq(gifts.id, gift!.id), approvedNgo));
      const viaColumn = await db.select({ id: gifts.id }).from(gifts).where(and(eq(gifts.id, gift!.id), ngoIsApproved(gifts.ngoId)));
      return [viaJoin.length, viaColumn.length];
    };
    expect(await seen()).toEqual([0, 0]);
    await server.api(`/api/admin/ngos/${unseen.id}/approve`, { body: {}, token: reviewer.token });
    expect(await seen()).toEqual([1, 1]);
    // The demo NGO (approved by migration 0007) stays visible.
    const demo = await db.select({ id: gifts.id }).from(gifts).where(ngoIsApproved(gifts.ngoId));
    expect(demo.length).toBeGreaterThanOrEqual(10);
  });
});

describe("members and settings", () => {
  let ngoId: string;
  const members = (token: string) => server.api<NgoMembersResponse>(`/api/ngos/${ngoId}/members`, { token });
  const member = (path: string, init: { method?: string; body?: unknown; token: string }) => server.api<{ member: { role: string } }>(`/api/ngos/${ngoId}/members${path}`, init);

  beforeAll(async () => {
    ngoId = (await apply(founder.token, ngoApplication())).body.ngo.id;
  });

  it("lets the admin invite accounts by their public name, never by email; they join only once they accept", async () => {
    const invited = await server.api<NgoInvitationResponse>(`/api/ngos/${ngoId}/members`, { body: { name: editor.player.name.toUpperCase(), role: "editor" }, token: founder.token });
    expect(invited.status).toBe(201);
    expect(invited.body.invitation).toMatchObject({ playerId: editor.player.id, name: editor.player.name, role: "editor" });
    // Not a member yet: no role, nothing of the NGO to see; the invitation waits in their console and their notifications.
    expect((await server.api(`/api/ngos/${ngoId}/projects`, { token: editor.token })).status).toBe(404);
    const mine = (await server.api<MyNgosResponse>("/api/me/ngos", { token: editor.token })).body;
    expect(mine.memberships.some((m) => m.ngo.id === ngoId)).toBe(false);
    expect(mine.invitations).toEqual([{ ngo: { id: ngoId, name: expect.any(String) }, role: "editor", invitedBy: founder.player.name, since: expect.any(String) }]);
    const told = (await server.api<NotificationsResponse>("/api/notifications", { token: editor.token })).body.notifications;
    expect(told.find((n) => n.kind === "ngo_invitation")).toMatchObject({ payload: { ngo: { id: ngoId }, role: "editor" } });
    const pending = await members(founder.token);
    expect(pending.body.members.map((m) => m.playerId)).toEqual([founder.player.id]);
    expect(pending.body.invitations.map((i) => [i.playerId, i.role])).toEqual([[editor.player.id, "editor"]]);
    const again = await member("", { body: { name: editor.player.name, role: "viewer" }, token: founder.token });
    expect([again.status, error(again).code]).toEqual([409, "invitation_pending"]);
    // Nobody answers for someone else.
    const forged = await server.api(`/api/me/ngo-invitations/${ngoId}/accept`, { method: "POST", token: stranger.token });
    expect([forged.status, error(forged).code]).toEqual([404, "invitation_unknown"]);

    const accepted = await server.api<{ membership: { role: string } }>(`/api/me/ngo-invitations/${ngoId}/accept`, { method: "POST", token: editor.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.membership.role).toBe("editor");
    expect((await server.api(`/api/me/ngo-invitations/${ngoId}/accept`, { method: "POST", token: editor.token })).status).toBe(404);
    expect((await server.api(`/api/ngos/${ngoId}/projects`, { token: editor.token })).status).toBe(200);

    expect((await member("", { body: { name: viewer.player.name, role: "viewer" }, token: founder.token })).status).toBe(201);
    expect((await server.api(`/api/me/ngo-invitations/${ngoId}/accept`, { method: "POST", token: viewer.token })).status).toBe(200);
    // An admin may withdraw an invitation not answered yet; nobody else may.
    expect((await member("", { body: { name: stranger.player.name, role: "viewer" }, token: founder.token })).status).toBe(201);
    expect((await server.api(`/api/ngos/${ngoId}/invitations/${stranger.player.id}`, { method: "DELETE", token: stranger.token })).status).toBe(404);
    expect((await server.api(`/api/ngos/${ngoId}/invitations/${stranger.player.id}`, { method: "DELETE", token: editor.token })).status).toBe(403);
    expect((await server.api(`/api/ngos/${ngoId}/invitations/${stranger.player.id}`, { method: "DELETE", token: founder.token })).status).toBe(204);
    expect((await server.api<MyNgosResponse>("/api/me/ngos", { token: stranger.token })).body.invitations).toEqual([]);
    expect((await server.api(`/api/me/ngo-invitations/${ngoId}/accept`, { method: "POST", token: stranger.token })).status).toBe(404);
    // A declined invitation is simply gone.
    expect((await member("", { body: { name: stranger.player.name, role: "admin" }, token: founder.token })).status).toBe(201);
    expect((await server.api(`/api/me/ngo-invitations/${ngoId}/decline`, { method: "POST", token: stranger.token })).status).toBe(204);
    expect((await server.api<MyNgosResponse>("/api/me/ngos", { token: stranger.token })).body.invitations).toEqual([]);
    expect((await server.api(`/api/ngos/${ngoId}/settings`, { token: stranger.token })).status).toBe(404);

    const byEmail = await member("", { body: { name: stranger.email, role: "viewer" }, token: founder.token });
    expect([byEmail.status, error(byEmail).code]).toEqual([404, "player_unknown"]);
    const twice = await member("", { body: { name: viewer.player.name, role: "editor" }, token: founder.token });
    expect([twice.status, error(twice).code]).toEqual([409, "already_member"]);
    const badRole = await member("", { body: { name: stranger.player.name, role: "owner" }, token: founder.token });
    expect(error(badRole).fields).toEqual({ role: "role is one of viewer, editor, admin" });
    const noName = await member("", { body: { role: "viewer" }, token: founder.token });
    expect(error(noName).fields).toEqual({ name: "name is required" });

    const list = await members(founder.token);
    expect(list.status).toBe(200);
    expect(list.body.members.map((m) => [m.playerId, m.role]).sort()).toEqual(
      [[founder.player.id, "admin"], [editor.player.id, "editor"], [viewer.player.id, "viewer"]].sort(),
    );
    expect(list.body.invitations).toEqual([]);
    expect(JSON.stringify(list.body)).not.toContain("@");
  });

  it("rings the invited player's bell live, in their open village", async () => {
    const invitee = await signUpAccount(server, "Bell");
    const room = await joinVillageRoom(server.url, invitee.token, invitee.villageId);
    try {
      const heard = new Promise<NotificationMessage>((resolve) => room.onMessage("notification", (m: NotificationMessage) => resolve(m)));
      const sent = await member("", { body: { name: invitee.player.name, role: "viewer" }, token: founder.token });
      expect(sent.status).toBe(201);
      expect((await heard).notification).toMatchObject({ kind: "ngo_invitation", payload: { ngo: { id: ngoId }, role: "viewer" } });
    } finally {
      await room.leave();
      await server.api(`/api/me/ngo-invitations/${ngoId}/decline`, { method: "POST", token: invitee.token });
    }
  });

  it("refuses viewers and editors the admin routes (403), and tells non-members nothing (404)", async () => {
    const probes: Array<[string, string, unknown?]> = [
      ["GET", "/members"],
      ["POST", "/members", { name: stranger.player.name, role: "viewer" }],
      ["PATCH", `/members/${viewer.player.id}`, { role: "admin" }],
      ["DELETE", `/members/${founder.player.id}`],
      ["GET", "/settings"],
      ["PATCH", "/settings", { name: "Taken over" }],
    ];
    for (const [method, path, body] of probes) {
      for (const who of [editor, viewer]) {
        const res = await server.api(`/api/ngos/${ngoId}${path}`, { method, body, token: who.token });
        expect([method, path, res.status, error(res).code]).toEqual([method, path, 403, "forbidden"]);
      }
      const outsider = await server.api(`/api/ngos/${ngoId}${path}`, { method, body, token: stranger.token });
      expect([method, path, outsider.status, error(outsider).code]).toEqual([method, path, 404, "not_found"]);
      expect(JSON.stringify(outsider.body)).not.toContain(founder.player.name);
    }
    const unknownNgo = await server.api(`/api/ngos/00000000-0000-4000-8000-000000000000/members`, { token: stranger.token });
    expect(unknownNgo.status).toBe(404);
    expect((await members(founder.token)).body.members).toHaveLength(3);
    const [settings] = await server.hameau.database.db.select({ name: ngos.name }).from(ngos).where(eq(ngos.id, ngoId));
    expect(settings!.name).not.toBe("Taken over");
  });

  it("changes roles, and never lets the last admin be demoted or leave", async () => {
    expect((await member(`/${viewer.player.id}`, { method: "PATCH", body: { role: "editor" }, token: founder.token })).body.member.role).toBe("editor");
    const demote = await member(`/${founder.player.id}`, { method: "PATCH", body: { role: "editor" }, token: founder.token });
    expect([demote.status, error(demote).code]).toEqual([409, "last_admin"]);
    const leave = await member(`/${founder.player.id}`, { method: "DELETE", token: founder.token });
    expect([leave.status, error(leave).code]).toEqual([409, "last_admin"]);
    const notMember = await member(`/${stranger.player.id}`, { method: "PATCH", body: { role: "viewer" }, token: founder.token });
    expect(notMember.status).toBe(404);
    expect((await members(founder.token)).body.members.find((m) => m.playerId === founder.player.id)!.role).toBe("admin");
  });

  it("keeps one admin when two admins step down at the same moment", async () => {
    await member(`/${editor.player.id}`, { method: "PATCH", body: { role: "admin" }, token: founder.token });
    const both = await Promise.all([
      member(`/${founder.player.id}`, { method: "PATCH", body: { role: "viewer" }, token: founder.token }),
      member(`/${editor.player.id}`, { method: "PATCH", body: { role: "viewer" }, token: editor.token }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.map((r) => (r.status === 409 ? error(r).code : "ok")).sort()).toEqual(["last_admin", "ok"]);
    const admins = await server.hameau.database.db.select().from(ngoMembers).where(and(eq(ngoMembers.ngoId, ngoId), eq(ngoMembers.role, "admin")));
    expect(admins).toHaveLength(1);
    // Whoever is still admin makes the founder admin again, for the tests below.
    const adminToken = admins[0]!.playerId === founder.player.id ? founder.token : editor.token;
    await member(`/${founder.player.id}`, { method: "PATCH", body: { role: "admin" }, token: adminToken });
    await member(`/${editor.player.id}`, { method: "PATCH", body: { role: "editor" }, token: founder.token });
  });

  it("keeps one admin when the same race runs straight against the database, round after round", async () => {
    // Without the HTTP layer both transactions overlap closely: only the NGO's row lock keeps them apart.
    const { db } = server.hameau.database;
    for (let round = 0; round < 8; round++) {
      const ngo = await insertTestNgo(server, { status: "pending" });
      await addNgoMember(server, ngo.id, founder.player.id, "admin");
      await addNgoMember(server, ngo.id, editor.player.id, "admin");
      const results = await Promise.all([
        changeMemberRole(db, ngo.id, founder.player.id, "viewer"),
        round % 2 ? removeMember(db, ngo.id, editor.player.id) : changeMemberRole(db, ngo.id, editor.player.id, "editor"),
      ]);
      expect(results.map((r) => (r.ok ? "ok" : r.code)).sort()).toEqual(["last_admin", "ok"]);
      const admins = await db.select().from(ngoMembers).where(and(eq(ngoMembers.ngoId, ngo.id), eq(ngoMembers.role, "admin")));
      expect(admins).toHaveLength(1);
    }
  });

  it("lets any member leave, and only an admin remove someone else", async () => {
    const kick = await member(`/${founder.player.id}`, { method: "DELETE", token: editor.token });
    expect(kick.status).toBe(403);
    expect((await member(`/${viewer.player.id}`, { method: "DELETE", token: viewer.token })).status).toBe(204);
    expect((await member(`/${editor.player.id}`, { method: "DELETE", token: founder.token })).status).toBe(204);
    expect((await members(founder.token)).body.members.map((m) => m.playerId)).toEqual([founder.player.id]);
    expect((await server.api(`/api/ngos/${ngoId}/settings`, { token: editor.token })).status).toBe(404);
    expect((await server.api<MyNgosResponse>("/api/me/ngos", { token: editor.token })).body.memberships.some((m) => m.ngo.id === ngoId)).toBe(false);
  });

  it("lets the admin change the NGO's identity, never its slug, status or receipt prefix", async () => {
    const before = (await server.api<NgoSettingsView>(`/api/ngos/${ngoId}/settings`, { token: founder.token })).body;
    const address = { addressLines: ["8 quai Perrache", "Bâtiment C"], postalCode: "69002", city: "Lyon", country: "France" };
    const res = await server.api<NgoSettingsView>(`/api/ngos/${ngoId}/settings`, {
      method: "PATCH", body: { name: "Un Tout Autre Nom", signatoryName: "Jean Dupont", address, website: "https://autre.example" }, token: founder.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...before, name: "Un Tout Autre Nom", signatoryName: "Jean Dupont", address, website: "https://autre.example", slug: before.slug });
    const sneaky = await server.api(`/api/ngos/${ngoId}/settings`, { method: "PATCH", body: { slug: "x", status: "approved", receiptPrefix: "X1" }, token: founder.token });
    expect(sneaky.status).toBe(400);
    expect(error(sneaky).fields).toEqual({ "(root)": "these cannot be changed here: slug, status, receiptPrefix" });
    const bad = await server.api(`/api/ngos/${ngoId}/settings`, { method: "PATCH", body: { contactEmail: "nope", legalName: "" }, token: founder.token });
    expect(error(bad).fields).toEqual({ contactEmail: "contact email must be an email address", legalName: "legal name is required" });
    const empty = await server.api(`/api/ngos/${ngoId}/settings`, { method: "PATCH", body: {}, token: founder.token });
    expect(error(empty).fields).toEqual({ "(root)": "nothing to change" });
    const after = (await server.api<NgoSettingsView>(`/api/ngos/${ngoId}/settings`, { token: founder.token })).body;
    expect(after).toEqual(res.body);
  });
});
