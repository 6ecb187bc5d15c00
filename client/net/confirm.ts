/**
 * The sign-up confirmation link (`/?confirm=<token>`, mailed by the server):
 * on load, before the session is opened, send the token to
 * POST /api/account/confirm, keep the account session it answers (the guest
 * who signed up keeps their player and village under it), and take the token
 * out of the address bar, the history and any bookmark at once.
 *
 * Usage in main.ts, before openSession():
 *   const confirmed = await confirmSignUpFromUrl();
 *   const text = confirmOutcomeText(confirmed);
 *   if (text) toast.show(text, confirmed.kind === "confirmed" ? "success" : "error", { ms: 8000 });
 */
import type { SessionResponse } from "../../shared/api.ts";
import type { ConfirmSignUpRequest } from "../../shared/social.ts";
import { errorText, t } from "../i18n.ts";
import { storageSet } from "../storage.ts";
import { ApiError, refusal, send } from "./api.ts";
import { TOKEN_KEY } from "./session.ts";

export const CONFIRM_PARAM = "confirm";

export type ConfirmOutcome =
  | { kind: "none" }
  | { kind: "confirmed"; session: SessionResponse }
  /** `code`: a shared/errors.ts code (confirmation_invalid, signup_failed, …) or "network". */
  | { kind: "refused"; code: string };

/** Confirms the sign-up named in the page's URL, if any; the stored session is then the account's. */
export async function confirmSignUpFromUrl(): Promise<ConfirmOutcome> {
  const url = new URL(location.href);
  const token = url.searchParams.get(CONFIRM_PARAM);
  if (token === null) return { kind: "none" };
  // Cleaned first, whatever follows: the link stays usable from the mail if the request fails.
  url.searchParams.delete(CONFIRM_PARAM);
  history.replaceState(history.state, "", url);
  try {
    const body: ConfirmSignUpRequest = { token };
    const response = await send("POST", "/api/account/confirm", { body });
    if (!response.ok) throw await refusal(response);
    const session = (await response.json()) as SessionResponse;
    storageSet(TOKEN_KEY, session.token);
    return { kind: "confirmed", session };
  } catch (err) {
    if (err instanceof ApiError) return { kind: "refused", code: err.code };
    throw err;
  }
}

/** What to tell the player about an outcome, in the current language (nothing when there was no link). */
export function confirmOutcomeText(outcome: ConfirmOutcome): string | undefined {
  if (outcome.kind === "none") return undefined;
  if (outcome.kind === "confirmed") return t("confirm.done", { name: outcome.session.player.name });
  return outcome.code === "network" ? t("confirm.retry") : errorText(outcome.code);
}
