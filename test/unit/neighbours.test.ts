/** The neighbours' request schemas (shared/neighbours.ts): what the browser's query and a thank-you may hold. */
import { describe, expect, it } from "vitest";
import { PublicVillagesQuery, THANKS_NOTE_MAX, ThanksRequest } from "../../shared/neighbours.ts";

describe("PublicVillagesQuery", () => {
  it("defaults to the first page of everything, trims the search, and coerces the page", () => {
    expect(PublicVillagesQuery.parse({})).toEqual({ q: "", page: 1 });
    expect(PublicVillagesQuery.parse({ q: "  Rosa ", page: "3" })).toEqual({ q: "Rosa", page: 3 });
  });

  it("refuses pages out of range, long searches and control or bidi characters", () => {
    for (const bad of [{ page: "0" }, { page: "1001" }, { page: "1.5" }, { page: "x" }, { q: "a".repeat(61) }, { q: "a\u0000" }, { q: "a\u202eb" }, { q: ["a"] }]) {
      expect(PublicVillagesQuery.safeParse(bad).success).toBe(false);
    }
  });
});

describe("ThanksRequest", () => {
  it("takes a note, a thank-you decoration, or both; the note trimmed", () => {
    expect(ThanksRequest.parse({ note: "  Merci ! " })).toEqual({ note: "Merci !" });
    expect(ThanksRequest.parse({ decorationId: "lantern" })).toEqual({ decorationId: "lantern" });
    expect(ThanksRequest.parse({ note: "Merci\nbeaucoup", decorationId: "flower-bed" })).toEqual({ note: "Merci\nbeaucoup", decorationId: "flower-bed" });
    expect(ThanksRequest.safeParse({ note: "x".repeat(THANKS_NOTE_MAX) }).success).toBe(true);
  });

  it("refuses an empty thank-you, a long or unsafe note, a decoration that costs coins, and unknown fields", () => {
    for (const bad of [{}, { note: "   " }, { note: "x".repeat(THANKS_NOTE_MAX + 1) }, { note: "a\u202eb" }, { note: "a\u0007" }, { decorationId: "fountain" }, { note: "hi", giverId: "x" }]) {
      expect(ThanksRequest.safeParse(bad).success).toBe(false);
    }
  });
});
