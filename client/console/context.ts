/**
 * What every console screen is given: the session (the game's token, same
 * origin), the caller's NGOs and roles, and a way to move between screens.
 */
import type { MeResponse } from "../../shared/api.ts";
import type { MyNgoInvitation } from "../../shared/ngo-accounts.ts";
import { type NgoMembershipView, type NgoRole, roleAllows } from "../../shared/ngo-roles.ts";
import type { Toast } from "../ui/toast.ts";

export interface ConsoleContext {
  token: string;
  me: MeResponse;
  memberships: NgoMembershipView[];
  /** Invitations to join an NGO the caller has not answered yet (the shell shows them on every screen). */
  invitations: MyNgoInvitation[];
  platformAdmin: boolean;
  toast: Toast;
  /** Goes to a console route ("#/ngo/<id>/catalog", "#/apply"…). */
  navigate(route: string): void;
  /** Reads the memberships again (after applying, or a role change) and redraws. */
  reload(): Promise<void>;
}

export interface NgoContext extends ConsoleContext {
  ngo: NgoMembershipView["ngo"];
  role: NgoRole;
  /** What follows the section in the route (e.g. a campaign id). */
  sub: string | undefined;
}

export function may(ctx: NgoContext, needed: NgoRole): boolean {
  return roleAllows(ctx.role, needed);
}

/** A screen the shell shows under the navigation; `render` again after a language switch. */
export interface Screen {
  root: HTMLElement;
  render(): void;
  /** Leaves rooms, stops timers. */
  dispose?(): void;
}
