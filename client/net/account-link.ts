/**
 * The links Hameau mails: a sign-up confirmation (`/?confirm=<token>`) and a
 * password reset (`/?reset=<token>`). Both open a form where whoever reads
 * the mail chooses the password (the account dialog shows it; a confirmation
 * also shows the account's name, which may be changed there). The token is
 * taken out of the address bar, the history and any bookmark at once, and
 * kept in memory only: if the page is left, the link in the mail still works.
 */
import type { SessionResponse } from "../../shared/api.ts";
import { accountApi } from "./social-api.ts";

export type AccountLinkKind = "confirm" | "reset";

export interface AccountLink {
  kind: AccountLinkKind;
  token: string;
}

const KINDS: AccountLinkKind[] = ["confirm", "reset"];

/** Moves a mailed link's token out of the address (call before anything reloads the page). */
export function captureAccountLink(): AccountLink | null {
  const url = new URL(location.href);
  let link: AccountLink | null = null;
  for (const kind of KINDS) {
    const token = url.searchParams.get(kind);
    if (token === null) continue;
    url.searchParams.delete(kind);
    if (!link && /^[\w-]{1,200}$/.test(token)) link = { kind, token };
  }
  if (url.href !== location.href) history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
  return link;
}

/**
 * Sets the password through the link and answers the account's session. A confirmation carries
 * this device's session (the guest who signed up here keeps their village) and the name chosen.
 */
export function completeAccountLink(
  link: AccountLink,
  values: { password: string; name: string },
  currentToken: string | undefined,
): Promise<SessionResponse> {
  return link.kind === "confirm"
    ? accountApi.confirm(currentToken, { token: link.token, password: values.password, name: values.name })
    : accountApi.completePasswordReset({ token: link.token, password: values.password });
}
