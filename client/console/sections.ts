/**
 * The console's sections and the role each needs to be shown. Every member
 * reads the catalog, campaigns, updates and reports (writing them needs the
 * editor role: the screens hide their write buttons below it); members and
 * settings are for admins. Every member sees the payments account; only
 * admins connect it. The server checks the same roles on every route.
 */
import type { NgoRole } from "../../shared/ngo-roles.ts";
import type { ConsoleKey } from "./i18n.ts";

export const SECTIONS = [
  { key: "catalog", label: "nav.catalog", needs: "viewer" },
  { key: "campaigns", label: "nav.campaigns", needs: "viewer" },
  { key: "embed", label: "nav.embed", needs: "viewer" },
  { key: "updates", label: "nav.updates", needs: "viewer" },
  { key: "reports", label: "nav.reports", needs: "viewer" },
  { key: "members", label: "nav.members", needs: "admin" },
  { key: "payments", label: "nav.payments", needs: "viewer" },
] as const satisfies ReadonlyArray<{ key: string; label: ConsoleKey; needs: NgoRole }>;

export type SectionKey = (typeof SECTIONS)[number]["key"];

export function isSection(value: string | undefined): value is SectionKey {
  return SECTIONS.some((s) => s.key === value);
}

/** A console route, read from location.hash. */
export type Route =
  | { kind: "home" }
  | { kind: "apply" }
  | { kind: "applications" }
  | { kind: "paymentAlerts" }
  | { kind: "ngo"; ngoId: string; section: SectionKey | undefined; sub: string | undefined };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "apply") return { kind: "apply" };
  if (parts[0] === "admin" && parts[1] === "applications") return { kind: "applications" };
  if (parts[0] === "admin" && parts[1] === "payment-alerts") return { kind: "paymentAlerts" };
  if (parts[0] === "ngo" && parts[1]) return { kind: "ngo", ngoId: parts[1], section: isSection(parts[2]) ? parts[2] : undefined, sub: parts[3] };
  return { kind: "home" };
}

export function ngoRoute(ngoId: string, section?: SectionKey, sub?: string): string {
  return `#/ngo/${encodeURIComponent(ngoId)}${section ? `/${section}` : ""}${sub ? `/${encodeURIComponent(sub)}` : ""}`;
}
