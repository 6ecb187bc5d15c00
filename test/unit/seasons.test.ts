/**
 * The seasonal calendar (shared/seasons.ts): which decorations are in the
 * shop at an instant, by Paris dates, arriving and leaving at midnight in
 * Paris (also over the new year and the clock changes), and the refusal out
 * of season. Every instant is passed in.
 */
import { describe, expect, it } from "vitest";
import { DECORATION_IDS, DECORATIONS } from "../../shared/decorations.ts";
import { SEASON_WINDOWS, inSeason, mayBuyInSeason, seasonOf } from "../../shared/seasons.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("the seasonal calendar", () => {
  it("gives every seasonal decoration a window, and only those", () => {
    for (const id of DECORATION_IDS) expect(SEASON_WINDOWS[id] !== undefined, id).toBe(DECORATIONS[id].source === "season");
    expect(seasonOf("fence", at("2026-12-05T12:00:00Z"))).toBeNull();
    expect(mayBuyInSeason("fence", at("2026-06-01T12:00:00Z"))).toEqual({ ok: true });
  });

  it("opens the Christmas tree at midnight in Paris on 1 December (23:00 UTC the day before), and closes it after 6 January", () => {
    expect(seasonOf("christmas-tree", at("2026-11-30T22:59:59.999Z"))).toEqual({ available: false, startsAt: at("2026-11-30T23:00:00Z") });
    expect(seasonOf("christmas-tree", at("2026-11-30T23:00:00Z"))).toEqual({ available: true, endsAt: at("2027-01-06T23:00:00Z") });
    // Over the new year, the end is still next January's.
    expect(seasonOf("christmas-tree", at("2027-01-06T22:59:59.999Z"))).toEqual({ available: true, endsAt: at("2027-01-06T23:00:00Z") });
    expect(seasonOf("christmas-tree", at("2027-01-06T23:00:00Z"))).toEqual({ available: false, startsAt: at("2027-11-30T23:00:00Z") });
  });

  it("follows the summer clock: the beach umbrella leaves at 22:00 UTC on 31 August", () => {
    expect(seasonOf("beach-umbrella", at("2026-06-20T21:59:59Z"))).toMatchObject({ available: false, startsAt: at("2026-06-20T22:00:00Z") });
    const summer = seasonOf("beach-umbrella", at("2026-07-14T10:00:00Z"));
    expect(summer).toEqual({ available: true, endsAt: at("2026-08-31T22:00:00Z") });
    expect(iso(at("2026-08-31T22:00:00Z"))).toBe("2026-08-31T22:00:00.000Z");
    expect(seasonOf("beach-umbrella", at("2026-08-31T22:00:00Z"))).toEqual({ available: false, startsAt: at("2027-06-20T22:00:00Z") });
  });

  it("lists what is in season at an instant", () => {
    expect(inSeason(at("2026-12-05T12:00:00Z")).sort()).toEqual(["christmas-tree", "snowman"]);
    expect(inSeason(at("2026-10-25T12:00:00Z")).sort()).toEqual(["autumn-leaves", "ghost"]);
    expect(inSeason(at("2026-04-01T12:00:00Z"))).toEqual(["spring-chick"]);
    expect(inSeason(at("2026-05-15T12:00:00Z"))).toEqual([]);
    // The snowman stays through the winter, over the new year, until the end of February.
    expect(seasonOf("snowman", at("2027-02-28T12:00:00Z"))).toEqual({ available: true, endsAt: at("2027-02-28T23:00:00Z") });
    expect(seasonOf("snowman", at("2028-02-29T12:00:00Z"))).toMatchObject({ available: false });
  });

  it("refuses a seasonal decoration out of its window with out_of_season", () => {
    expect(mayBuyInSeason("ghost", at("2026-10-20T12:00:00Z"))).toEqual({ ok: true });
    expect(mayBuyInSeason("ghost", at("2026-11-03T12:00:00Z"))).toMatchObject({ ok: false, code: "out_of_season" });
    expect(mayBuyInSeason("snowman", at("2026-07-01T12:00:00Z"))).toMatchObject({ ok: false, code: "out_of_season" });
  });
});
