/**
 * "Apply as an NGO": an account sends its NGO's identity; the NGO stays
 * pending (nothing it publishes is visible) until a platform administrator
 * approves it. The applicant becomes its first admin.
 */
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import type { ConsoleContext, Screen } from "../context.ts";
import { ConsoleForm } from "../form.ts";
import { ct } from "../i18n.ts";
import { ngoRoute } from "../sections.ts";
import { heading } from "../view.ts";
import { identityBody, identityFieldOf, identityFields } from "./identity-form.ts";

export function applyScreen(ctx: ConsoleContext): Screen {
  const root = h("section", { class: "c-screen", id: "apply" });
  const form = new ConsoleForm({
    id: "apply-form",
    fields: identityFields(),
    submit: "apply.send",
    initial: { country: "France" },
    fieldOf: identityFieldOf,
    async send(values) {
      const answer = await consoleApi.apply(ctx.token, identityBody(values));
      ctx.toast.show(() => ct("apply.sent"), "success");
      await ctx.reload();
      ctx.navigate(ngoRoute(answer.ngo.id));
    },
  });
  function render(): void {
    form.render();
    root.replaceChildren(
      heading("apply.title", [], ct(ctx.memberships.length === 0 ? "apply.leadNone" : "apply.lead")),
      h("p", { class: "c-hint", text: ct("apply.review") }),
      h("section", { class: "c-card" }, [form.root]),
    );
  }
  render();
  return { root, render };
}
