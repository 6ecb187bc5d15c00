/**
 * The console's frame: the NGO picker (the caller's memberships), the
 * invitations to answer, the role-aware navigation, the FR/EN switch, and the screen for the current
 * route (location.hash). Only NGOs the caller belongs to are ever listed;
 * the server refuses the rest anyway.
 */
import type { Locale } from "../../shared/money.ts";
import { NGO_ROLES, roleAllows } from "../../shared/ngo-roles.ts";
import { errorText, locale, setLocale } from "../i18n.ts";
import { storageGet, storageSet } from "../storage.ts";
import { ApiError } from "../net/api.ts";
import { byId, h } from "../ui/element.ts";
import { consoleApi } from "./api.ts";
import { button } from "./view.ts";
import type { ConsoleContext, NgoContext, Screen } from "./context.ts";
import { ct, type ConsoleKey } from "./i18n.ts";
import { ngoRoute, parseRoute, type Route, SECTIONS, type SectionKey } from "./sections.ts";
import { applicationsScreen } from "./screens/applications.ts";
import { paymentAlertsScreen } from "./screens/payment-alerts.ts";
import { applyScreen } from "./screens/apply.ts";
import { campaignsScreen } from "./screens/campaigns.ts";
import { embedScreen } from "./screens/embed.ts";
import { catalogScreen } from "./screens/catalog.ts";
import { membersScreen } from "./screens/members.ts";
import { paymentsScreen } from "./screens/payments.ts";
import { reportsScreen } from "./screens/reports.ts";
import { updatesScreen } from "./screens/updates.ts";

const LAST_NGO = "hameau.console.ngo";

const SCREENS: Record<SectionKey, (ctx: NgoContext) => Screen> = {
  catalog: catalogScreen,
  campaigns: campaignsScreen,
  embed: embedScreen,
  updates: updatesScreen,
  reports: reportsScreen,
  members: membersScreen,
  payments: paymentsScreen,
};

export class Shell {
  private readonly ctx: ConsoleContext;
  private screen: Screen | undefined;
  private route: Route = { kind: "home" };

  constructor(ctx: ConsoleContext) {
    this.ctx = ctx;
    for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) {
      button.addEventListener("click", () => setLocale(button.dataset.lang === "fr" ? "fr" : "en"));
    }
    window.addEventListener("hashchange", () => this.show());
  }

  /** Draws the frame and the screen of the current route. */
  show(): void {
    this.route = this.resolve(parseRoute(location.hash));
    this.screen?.dispose?.();
    this.screen = this.screenFor(this.route);
    this.renderFrame();
    byId("view").replaceChildren(this.screen.root);
  }

  /** After a language switch: the frame and the screen redraw in place. */
  retranslate(): void {
    this.renderFrame();
    this.screen?.render();
  }

  /** Fills in what the address leaves out: the last NGO used, the first section the role opens. */
  private resolve(route: Route): Route {
    const { memberships, platformAdmin } = this.ctx;
    if ((route.kind === "applications" || route.kind === "paymentAlerts") && !platformAdmin) return { kind: "home" };
    if (route.kind === "home" || (route.kind === "ngo" && !memberships.some((m) => m.ngo.id === route.ngoId))) {
      if (memberships.length === 0) return platformAdmin ? { kind: "applications" } : { kind: "apply" };
      const last = storageGet(LAST_NGO);
      const m = memberships.find((x) => x.ngo.id === last) ?? memberships[0]!;
      return { kind: "ngo", ngoId: m.ngo.id, section: firstSection(m.role), sub: undefined };
    }
    if (route.kind === "ngo") {
      const m = memberships.find((x) => x.ngo.id === route.ngoId)!;
      const section = route.section && roleAllows(m.role, SECTIONS.find((s) => s.key === route.section)!.needs) ? route.section : firstSection(m.role);
      return { ...route, section, sub: section === route.section ? route.sub : undefined };
    }
    return route;
  }

  private screenFor(route: Route): Screen {
    if (route.kind === "apply") return applyScreen(this.ctx);
    if (route.kind === "applications") return applicationsScreen(this.ctx);
    if (route.kind === "paymentAlerts") return paymentAlertsScreen(this.ctx);
    if (route.kind === "ngo") {
      const m = this.ctx.memberships.find((x) => x.ngo.id === route.ngoId)!;
      storageSet(LAST_NGO, m.ngo.id);
      const section = route.section ?? firstSection(m.role);
      return SCREENS[section]({ ...this.ctx, ngo: m.ngo, role: m.role, sub: route.sub });
    }
    return { root: h("p", { class: "c-loading", text: ct("app.loading") }), render() {} };
  }

  private renderFrame(): void {
    const { memberships, platformAdmin, me } = this.ctx;
    const route = this.route;
    const current = route.kind === "ngo" ? memberships.find((m) => m.ngo.id === route.ngoId) : undefined;
    for (const el of document.querySelectorAll<HTMLElement>("[data-ct]")) el.textContent = ct(el.dataset.ct as ConsoleKey);
    for (const el of document.querySelectorAll<HTMLElement>("[data-ct-label]")) el.setAttribute("aria-label", ct(el.dataset.ctLabel as ConsoleKey));
    const lang: Locale = locale();
    for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === lang));

    const who = byId("who");
    who.textContent = me.player.name;
    who.hidden = false;

    const picker = byId("ngo-picker");
    if (memberships.length === 0) {
      picker.replaceChildren();
    } else {
      const select = h("select", { id: "ngo-select", "aria-label": ct("picker.label") }, memberships.map((m) =>
        h("option", { value: m.ngo.id, text: `${m.ngo.name} · ${ct(`role.${m.role}`)}` })));
      select.value = current?.ngo.id ?? "";
      if (!current) select.prepend(h("option", { value: "", text: ct("picker.choose") }));
      if (!current) select.value = "";
      select.addEventListener("change", () => {
        const m = memberships.find((x) => x.ngo.id === select.value);
        if (m) this.ctx.navigate(ngoRoute(m.ngo.id));
      });
      picker.replaceChildren(select);
    }

    const nav = byId("nav");
    const links: HTMLElement[] = [];
    if (current) {
      for (const s of SECTIONS) {
        if (!roleAllows(current.role, s.needs)) continue;
        links.push(navLink(ngoRoute(current.ngo.id, s.key), ct(s.label), route.kind === "ngo" && route.section === s.key, `nav-${s.key}`));
      }
    }
    if (platformAdmin) links.push(navLink("#/admin/applications", ct("nav.applications"), route.kind === "applications", "nav-applications"));
    if (platformAdmin) links.push(navLink("#/admin/payment-alerts", ct("nav.paymentAlerts"), route.kind === "paymentAlerts", "nav-payment-alerts"));
    links.push(navLink("#/apply", ct("nav.apply"), route.kind === "apply", "nav-apply"));
    links.push(h("a", { class: "c-nav-game", href: "/", id: "nav-game", text: ct("nav.game") }));
    const inner = h("div", { class: "c-nav-inner" }, links);
    nav.replaceChildren(inner);
    nav.hidden = false;
    revealActiveLink(inner);

    const status = current && current.ngo.status !== "approved" ? current.ngo.status : null;
    const banner = document.getElementById("ngo-status");
    if (status) {
      const el = h("p", { id: "ngo-status", class: `c-banner c-banner-${status}`, role: "status", text: ct(`status.banner.${status}`) });
      if (banner) banner.replaceWith(el);
      else nav.after(el);
    } else {
      banner?.remove();
    }
    document.title = `${current ? `${current.ngo.name} — ` : ""}${ct("app.title")}`;
    this.renderInvitations(nav);
  }

  /** Invitations to join an NGO, above every screen until answered: accept (the NGO opens) or decline. */
  private renderInvitations(nav: HTMLElement): void {
    document.getElementById("ngo-invitations")?.remove();
    const { invitations } = this.ctx;
    if (invitations.length === 0) return;
    const answer = async (ngoId: string, accept: boolean) => {
      try {
        if (accept) await consoleApi.acceptInvitation(this.ctx.token, ngoId);
        else await consoleApi.declineInvitation(this.ctx.token, ngoId);
        this.ctx.toast.show(() => ct(accept ? "invitation.accepted" : "invitation.declined"), "success");
        await this.ctx.reload();
        if (accept) this.ctx.navigate(ngoRoute(ngoId));
      } catch (err) {
        this.ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      }
    };
    const list = h("section", { id: "ngo-invitations", class: "c-card c-invitations", "aria-label": ct("invitation.title") }, [
      h("h2", { text: ct("invitation.title") }),
      ...invitations.map((inv) => h("div", { class: "c-invitation", "data-ngo-id": inv.ngo.id }, [
        h("p", {
          text: inv.invitedBy
            ? ct("invitation.from", { ngo: inv.ngo.name, role: ct(`role.${inv.role}`), name: inv.invitedBy })
            : ct("invitation.text", { ngo: inv.ngo.name, role: ct(`role.${inv.role}`) }),
        }),
        h("div", { class: "c-actions" }, [
          button(ct("invitation.accept"), () => void answer(inv.ngo.id, true), { "data-action": "accept" }, "c-primary"),
          button(ct("invitation.decline"), () => void answer(inv.ngo.id, false), { "data-action": "decline" }),
        ]),
      ])),
    ]);
    (document.getElementById("ngo-status") ?? nav).after(list);
  }
}

/**
 * On a narrow screen the navigation scrolls sideways, and each render starts it
 * at the left: bring the current section's link into view, or a phone shows
 * "Reports" or "Payments account" cut off at the edge.
 */
function revealActiveLink(inner: HTMLElement): void {
  const active = inner.querySelector<HTMLElement>(".c-nav-link.active");
  if (!active || inner.scrollWidth <= inner.clientWidth) return;
  const box = inner.getBoundingClientRect();
  const link = active.getBoundingClientRect();
  const margin = 24;
  if (link.right > box.right) inner.scrollLeft += link.right - box.right + margin;
  else if (link.left < box.left) inner.scrollLeft -= box.left - link.left + margin;
}

function navLink(href: string, label: string, active: boolean, id: string): HTMLElement {
  return h("a", { href, id, class: active ? "c-nav-link active" : "c-nav-link", "aria-current": active ? "page" : undefined, text: label });
}

function firstSection(role: (typeof NGO_ROLES)[number]): SectionKey {
  return SECTIONS.find((s) => roleAllows(role, s.needs))!.key;
}
