/**
 * NGO members' roles, as one rule both sides use: an admin manages members and
 * settings, an editor the catalog, campaigns and updates, a viewer reads the
 * reports. Each role can do what the roles below it can.
 */
export const NGO_ROLES = ["viewer", "editor", "admin"] as const;
export type NgoRole = (typeof NGO_ROLES)[number];

export const NGO_STATUSES = ["pending", "approved", "rejected"] as const;
export type NgoStatus = (typeof NGO_STATUSES)[number];

export function isNgoRole(value: unknown): value is NgoRole {
  return typeof value === "string" && (NGO_ROLES as readonly string[]).includes(value);
}

/** Whether a member with role `actual` may do what needs `needed`. */
export function roleAllows(actual: NgoRole, needed: NgoRole): boolean {
  return NGO_ROLES.indexOf(actual) >= NGO_ROLES.indexOf(needed);
}

/** One NGO as its members see it in the console (its data, whatever its status). */
export interface NgoMembershipView {
  ngo: { id: string; slug: string; name: string; status: NgoStatus };
  role: NgoRole;
}
