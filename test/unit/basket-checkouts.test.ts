import { describe, expect, it } from "vitest";
import {
  MAX_BASKET_CHECKOUTS, forgetCheckout, parseCheckouts, parseLines, rememberCheckout, settleCheckout, withoutPaidLines, type BasketState,
} from "../../shared/basket-checkouts.ts";
import { MAX_QUANTITY_PER_LINE } from "../../shared/basket.ts";

const goat = "goat", seeds = "seeds", hens = "hens";
const basket = (over: Partial<BasketState> = {}): BasketState => ({
  lines: [{ giftId: goat, quantity: 1 }, { giftId: seeds, quantity: 3 }],
  checkouts: [{ orderId: "o1", startedAt: 10 }],
  ...over,
});

describe("the checkouts a basket remembers", () => {
  it("keeps each order once, newest last, and only the newest few", () => {
    let list = rememberCheckout([], "o1", 1);
    list = rememberCheckout(list, "o2", 2);
    list = rememberCheckout(list, "o1", 3);
    expect(list).toEqual([{ orderId: "o2", startedAt: 2 }, { orderId: "o1", startedAt: 3 }]);
    for (let i = 0; i < 10; i++) list = rememberCheckout(list, `n${i}`, 10 + i);
    expect(list).toHaveLength(MAX_BASKET_CHECKOUTS);
    expect(list.at(-1)).toEqual({ orderId: "n9", startedAt: 19 });
    expect(forgetCheckout(list, "n9").map((c) => c.orderId)).not.toContain("n9");
  });
});

describe("settleCheckout", () => {
  it("takes a paid order's gifts out of the basket and forgets the checkout", () => {
    const { state, outcome } = settleCheckout(basket(), { id: "o1", status: "paid", lines: [{ giftId: goat, quantity: 1 }, { giftId: seeds, quantity: 3 }] });
    expect(outcome).toBe("paid");
    expect(state).toEqual({ lines: [], checkouts: [] });
  });

  it("keeps what was added after the checkout started", () => {
    const now = basket({ lines: [{ giftId: goat, quantity: 2 }, { giftId: seeds, quantity: 3 }, { giftId: hens, quantity: 1 }] });
    const { state } = settleCheckout(now, { id: "o1", status: "paid", lines: [{ giftId: goat, quantity: 1 }, { giftId: seeds, quantity: 3 }] });
    expect(state.lines).toEqual([{ giftId: goat, quantity: 1 }, { giftId: hens, quantity: 1 }]);
  });

  it("leaves the basket as it was for an expired (abandoned, cancelled) order, so the player can retry", () => {
    const before = basket();
    const { state, outcome } = settleCheckout(before, { id: "o1", status: "expired", lines: [{ giftId: goat, quantity: 1 }] });
    expect(outcome).toBe("expired");
    expect(state).toEqual({ lines: before.lines, checkouts: [] });
  });

  it("waits on a pending order, and ignores an order it did not start", () => {
    const before = basket();
    expect(settleCheckout(before, { id: "o1", status: "pending", lines: [] })).toEqual({ state: before, outcome: "pending" });
    expect(settleCheckout(before, { id: "other", status: "paid", lines: [{ giftId: goat, quantity: 1 }] })).toEqual({ state: before, outcome: "not_ours" });
  });

  it("settles an order paid twice once: the second time it is no longer the basket's", () => {
    const paid = { id: "o1", status: "paid" as const, lines: [{ giftId: seeds, quantity: 1 }] };
    const once = settleCheckout(basket(), paid).state;
    expect(settleCheckout(once, paid)).toEqual({ state: once, outcome: "not_ours" });
    expect(once.lines).toEqual([{ giftId: goat, quantity: 1 }, { giftId: seeds, quantity: 2 }]);
  });

  it("settles an order the return page came back from even when the basket had no record of it", () => {
    const { state, outcome } = settleCheckout(basket({ checkouts: [] }), { id: "o9", status: "paid", lines: [{ giftId: goat, quantity: 5 }] }, true);
    expect(outcome).toBe("paid");
    expect(state.lines).toEqual([{ giftId: seeds, quantity: 3 }]);
  });
});

describe("withoutPaidLines", () => {
  it("adds up an order's lines of one gift and never goes below nothing", () => {
    expect(withoutPaidLines([{ giftId: goat, quantity: 3 }], [{ giftId: goat, quantity: 1 }, { giftId: goat, quantity: 1 }])).toEqual([{ giftId: goat, quantity: 1 }]);
    expect(withoutPaidLines([{ giftId: goat, quantity: 1 }], [{ giftId: goat, quantity: 4 }])).toEqual([]);
  });
});

describe("reading back what storage held", () => {
  it("keeps good lines and checkouts and leaves out anything malformed", () => {
    expect(parseLines([{ giftId: goat, quantity: 2 }, { giftId: 3, quantity: 1 }, { giftId: seeds, quantity: 0 }, null, { giftId: hens, quantity: 99 }]))
      .toEqual([{ giftId: goat, quantity: 2 }, { giftId: hens, quantity: MAX_QUANTITY_PER_LINE }]);
    expect(parseLines({ giftId: goat })).toEqual([]);
    expect(parseCheckouts([{ orderId: "o1", startedAt: 5 }, { orderId: "", startedAt: 1 }, { orderId: "o2" }, "o3", { orderId: "x".repeat(65), startedAt: 1 }]))
      .toEqual([{ orderId: "o1", startedAt: 5 }]);
    expect(parseCheckouts(null)).toEqual([]);
  });
});
