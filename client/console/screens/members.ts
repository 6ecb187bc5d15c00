/**
 * Members & settings (NGO admins): who works for the NGO and with which role
 * (invite by player name — they join once they accept —, change a role, remove), and the NGO's identity as
 * printed on its tax receipts.
 */
import type { NgoInvitationView, NgoMemberView, NgoSettingsView } from "../../../shared/ngo-accounts.ts";
import { NGO_ROLES, type NgoRole } from "../../../shared/ngo-roles.ts";
import { errorText } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import type { NgoContext, Screen } from "../context.ts";
import { ConsoleForm, read } from "../form.ts";
import { ct, when } from "../i18n.ts";
import { changedIdentity, identityFieldOf, identityFields, identityValues } from "./identity-form.ts";
import { taxReceiptBody, taxReceiptFieldOf, taxReceiptFields, taxReceiptValues } from "./tax-receipts-form.ts";
import { button, heading, problem, table } from "../view.ts";

export function membersScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "members" });
  let members: NgoMemberView[] | null = null;
  let invitations: NgoInvitationView[] = [];
  let settings: NgoSettingsView | null = null;
  let failure: unknown = null;
  let settingsForm: ConsoleForm | null = null;
  let taxForm: ConsoleForm | null = null;

  const addForm = new ConsoleForm({
    id: "member-form",
    title: "member.addTitle",
    fields: [[
      { name: "name", label: "member.name", kind: "text", maxlength: 60, hint: "member.nameHint" },
      { name: "role", label: "member.role", kind: "select", choices: roleChoices },
    ]],
    submit: "member.add",
    initial: { role: "viewer" },
    async send(values) {
      await consoleApi.addMember(ctx.token, ctx.ngo.id, { name: read.text(values.name), role: read.text(values.role) as NgoRole });
      ctx.toast.show(() => ct("member.invited"), "success");
      await load();
    },
  });

  async function load(): Promise<void> {
    try {
      const [m, s] = await Promise.all([consoleApi.members(ctx.token, ctx.ngo.id), consoleApi.settings(ctx.token, ctx.ngo.id)]);
      members = m.members;
      invitations = m.invitations;
      settings = s;
      const initial = identityValues(s);
      settingsForm = new ConsoleForm({
        id: "settings-form",
        title: "settings.title",
        fields: identityFields(),
        submit: "form.save",
        initial,
        fieldOf: identityFieldOf,
        async send(values) {
          settings = await consoleApi.saveSettings(ctx.token, ctx.ngo.id, changedIdentity(values, initial));
          // The next save compares with what is saved now.
          Object.assign(initial, identityValues(settings));
          ctx.toast.show(() => ct("settings.saved"), "success");
          await ctx.reload();
        },
      });
      taxForm = new ConsoleForm({
        id: "tax-receipts-form",
        title: "tax.title",
        fields: taxReceiptFields(),
        submit: "form.save",
        initial: taxReceiptValues(s),
        fieldOf: taxReceiptFieldOf,
        async send(values) {
          settings = await consoleApi.saveSettings(ctx.token, ctx.ngo.id, taxReceiptBody(values));
          ctx.toast.show(() => ct("tax.saved"), "success");
        },
      });
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
  }

  async function act(work: () => Promise<unknown>, done: Parameters<typeof ct>[0]): Promise<void> {
    try {
      await work();
      ctx.toast.show(() => ct(done), "success");
      await load();
      // My own role may have changed: the navigation follows.
      await ctx.reload();
    } catch (err) {
      ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      render();
    }
  }

  function render(): void {
    const parts: HTMLElement[] = [heading("nav.members", [], ct("member.lead"))];
    if (failure) parts.push(problem(failure));
    else if (!members || !settings) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else {
      addForm.render();
      settingsForm?.render();
      taxForm?.render();
      parts.push(h("section", { class: "c-card", id: "member-list" }, [
        h("h3", { text: ct("member.title") }),
        table("members-table", [
          { label: "member.name", cell: (m) => h("span", {}, [h("strong", { text: m.name }), m.playerId === ctx.me.player.id ? ` (${ct("member.you")})` : ""]) },
          { label: "member.role", cell: (m) => roleSelect(m) },
          { label: "member.since", cell: (m) => when(m.since) },
          {
            label: "table.actions",
            cell: (m) => button(ct(m.playerId === ctx.me.player.id ? "member.leave" : "member.remove"), () => {
              if (confirm(ct("member.removeConfirm", { name: m.name }))) void act(() => consoleApi.removeMember(ctx.token, ctx.ngo.id, m.playerId), "member.removed");
            }, { "data-action": "remove" }, "c-danger"),
          },
        ], members, (m) => ({ "data-player-id": m.playerId })),
        ...(invitations.length > 0 ? [
          h("h3", { text: ct("member.invitations") }),
          table("invitations-table", [
            { label: "member.name", cell: (i) => h("strong", { text: i.name }) },
            { label: "member.role", cell: (i) => ct(`role.${i.role}`) },
            { label: "member.invitedOn", cell: (i) => when(i.since) },
            {
              label: "table.actions",
              cell: (i) => button(ct("member.withdraw"), () => void act(() => consoleApi.withdrawInvitation(ctx.token, ctx.ngo.id, i.playerId), "member.withdrawn"), {
                "data-action": "withdraw",
              }),
            },
          ], invitations, (i) => ({ "data-player-id": i.playerId })),
        ] : []),
        addForm.root,
      ]));
      if (settings.reviewNote) parts.push(h("p", { class: "c-banner", id: "review-note", text: ct("settings.reviewNote", { note: settings.reviewNote }) }));
      if (settingsForm) parts.push(h("section", { class: "c-card" }, [settingsForm.root, h("p", { class: "c-hint", text: ct("settings.prefix", { prefix: settings.receiptPrefix ?? "—" }) })]));
      if (taxForm) parts.push(h("section", { class: "c-card", id: "tax-receipt-settings" }, [taxForm.root, h("p", { class: "c-hint", text: ct("tax.lead") })]));
    }
    root.replaceChildren(...parts);
  }

  function roleSelect(m: NgoMemberView): HTMLElement {
    const select = h("select", { "aria-label": ct("member.roleOf", { name: m.name }), "data-action": "role" }, roleChoices().map((c) => h("option", { value: c.value, text: c.label })));
    select.value = m.role;
    select.addEventListener("change", () => void act(() => consoleApi.setRole(ctx.token, ctx.ngo.id, m.playerId, select.value as NgoRole), "member.roleChanged"));
    return select;
  }

  void load();
  render();
  return { root, render };
}

function roleChoices() {
  return [...NGO_ROLES].reverse().map((r) => ({ value: r, label: `${ct(`role.${r}`)} — ${ct(`role.${r}.can`)}` }));
}
