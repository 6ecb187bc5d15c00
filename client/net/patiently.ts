/** Start-up calls that wait for the server rather than fail at the first try. */
import { t } from "../i18n.ts";
import type { Toast } from "../ui/toast.ts";
import { ApiError } from "./api.ts";

/** Retries a start-up call until it works, saying so after the first failure (a refusal is thrown at once). */
export async function patiently<T>(toast: Toast, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ApiError && err.code !== "network" && err.status < 500) throw err;
      if (attempt === 0) toast.show(() => t("loading.failed"), "progress", { sticky: true });
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 10_000)));
    }
  }
}
