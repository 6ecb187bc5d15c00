/**
 * Coming back from a monthly gift's checkout, or from a monthly gift mail's
 * link: /?donations=1[&monthly=<id>][&cancelled=1] (server
 * MONTHLY_RETURN_PATH). Read once; the parameters then leave the address.
 */
const PARAMS = ["donations", "monthly", "cancelled"];

export function monthlyReturn(): { monthlyId: string | null; cancelled: boolean } | null {
  const url = new URL(location.href);
  if (url.searchParams.get("donations") !== "1") return null;
  const id = url.searchParams.get("monthly");
  const back = { monthlyId: id && /^[0-9a-f-]{36}$/i.test(id) ? id : null, cancelled: url.searchParams.get("cancelled") === "1" };
  for (const p of PARAMS) url.searchParams.delete(p);
  history.replaceState(history.state, "", url);
  return back;
}
