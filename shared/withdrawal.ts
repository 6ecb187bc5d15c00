/**
 * Which gifts leave a village when part of their payment is refunded: a pure
 * rule. The gifts that stay are never worth more than what was kept, and as
 * few (and as cheap) gifts as possible leave.
 */
export interface GiftUnit {
  itemId: string;
  priceCents: number;
}

/**
 * @param active gifts of the order still in the village
 * @param keptCents what the donor finally paid (total − refunded − lost in dispute), gifts' share only
 */
export function giftsToWithdraw(active: readonly GiftUnit[], keptCents: number): string[] {
  let value = active.reduce((s, g) => s + g.priceCents, 0);
  const remaining = [...active].sort((a, b) => a.priceCents - b.priceCents || a.itemId.localeCompare(b.itemId));
  const out: string[] = [];
  while (value > Math.max(0, keptCents) && remaining.length > 0) {
    const needed = value - Math.max(0, keptCents);
    // The cheapest single gift that covers what must go, else the dearest and go on.
    const index = remaining.findIndex((g) => g.priceCents >= needed);
    const pick = index >= 0 ? index : remaining.length - 1;
    const [gift] = remaining.splice(pick, 1);
    out.push(gift!.itemId);
    value -= gift!.priceCents;
  }
  return out;
}
