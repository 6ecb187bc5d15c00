/**
 * Opening the game with a friend's invite link (/?invite=<token>, the URL
 * POST /api/friends/invites returns): with an account, the invite is accepted
 * at once; a guest is asked to create an account or sign in first, told who
 * invited them ("Alice invited you to their village": POST
 * /api/friends/invites/preview; nobody is named for a link that does not
 * work, nor a deleted or blocked inviter), and the invite waits on this device
 * (localStorage) until they have one, across the reload that follows.
 */
import { errorText, t } from "../i18n.ts";
import { ApiError } from "../net/api.ts";
import type { Session } from "../net/session.ts";
import { friendsApi } from "../net/social-api.ts";
import { storageGet, storageSet } from "../storage.ts";
import type { Toast } from "../ui/toast.ts";

const PENDING_KEY = "hameau.invite";
const PARAM = "invite";

/**
 * Moves an invite token from the address to storage (call before anything
 * reloads the page); true when the page was opened with one just now.
 */
export function captureInvite(): boolean {
  const url = new URL(location.href);
  const token = url.searchParams.get(PARAM);
  if (token === null) return false;
  url.searchParams.delete(PARAM);
  history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
  if (!/^[\w-]{1,200}$/.test(token)) return false;
  storageSet(PENDING_KEY, token);
  return true;
}

export function hasPendingInvite(): boolean {
  return storageGet(PENDING_KEY) !== null;
}

export interface InviteDeps {
  session: Session;
  /** The page was opened with the link just now (a guest is asked once, not at every start). */
  fresh: boolean;
  toast: Toast;
  /** A guest must create an account or sign in first. */
  askForAccount(): void;
  /** Who sent the link, once the server said (a guest is shown the name). */
  inviterKnown?(name: string): void;
  /** A friendship was made (to refresh the friends list). */
  befriended(): void;
}

export async function acceptPendingInvite(deps: InviteDeps): Promise<void> {
  const token = storageGet(PENDING_KEY);
  if (!token) return;
  if (!deps.session.account) {
    if (!deps.fresh) return;
    deps.askForAccount();
    try {
      const { inviter } = await friendsApi.previewInvite(deps.session.token, { token });
      deps.inviterKnown?.(inviter.name);
    } catch {
      // A link that names nobody (or no answer): the generic "A friend invited you" stays.
    }
    return;
  }
  try {
    const { friend } = await friendsApi.acceptInvite(deps.session.token, token);
    storageSet(PENDING_KEY, null);
    deps.toast.show(() => t("friends.invite.accepted", { name: friend.name }), "success", { ms: 7000 });
    deps.befriended();
  } catch (err) {
    const code = err instanceof ApiError ? err.code : "internal";
    // A network blip keeps the invite for the next start; a refusal is final.
    if (code !== "network") storageSet(PENDING_KEY, null);
    deps.toast.show(() => errorText(code), "error", { ms: 7000 });
  }
}
