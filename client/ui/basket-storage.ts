/**
 * Where the basket is kept: this browser's localStorage (first-party), so a reload, a cancelled
 * payment or a second tab keeps it. Three keys: the lines, the fundraiser it is given through, and
 * the checkouts it started and has not heard the end of (shared/basket-checkouts.ts).
 */
import { parseCheckouts, parseLines, type BasketCheckout } from "../../shared/basket-checkouts.ts";
import type { BasketLineInput } from "../../shared/basket.ts";
import { storageGet, storageSet } from "../storage.ts";

const LINES_KEY = "hameau.basket";
const THROUGH_KEY = "hameau.basket.fundraiser";
const CHECKOUTS_KEY = "hameau.basket.checkouts";

/** A player's fundraiser the basket is given through (its id goes to checkout). */
export interface GivingThrough {
  id: string;
  title: string;
}

export function loadLines(): BasketLineInput[] {
  return parseLines(readJson(LINES_KEY));
}

export function saveLines(lines: readonly BasketLineInput[]): void {
  storageSet(LINES_KEY, lines.length ? JSON.stringify(lines) : null);
}

export function loadCheckouts(): BasketCheckout[] {
  return parseCheckouts(readJson(CHECKOUTS_KEY));
}

export function saveCheckouts(checkouts: readonly BasketCheckout[]): void {
  storageSet(CHECKOUTS_KEY, checkouts.length ? JSON.stringify(checkouts) : null);
}

export function loadThrough(): GivingThrough | null {
  const parsed = readJson(THROUGH_KEY) as Partial<GivingThrough> | null;
  return typeof parsed?.id === "string" && typeof parsed.title === "string" ? { id: parsed.id, title: parsed.title } : null;
}

export function saveThrough(through: GivingThrough | null): void {
  storageSet(THROUGH_KEY, through ? JSON.stringify(through) : null);
}

/** Calls `changed` when another tab of this site changes the basket (the `storage` event never fires in the tab that wrote). */
export function onBasketChangedElsewhere(changed: () => void): void {
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key === LINES_KEY || event.key === THROUGH_KEY || event.key === CHECKOUTS_KEY) changed();
  });
}

function readJson(key: string): unknown {
  try {
    return JSON.parse(storageGet(key) ?? "null");
  } catch {
    return null;
  }
}
