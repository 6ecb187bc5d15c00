import { describe, expect, it } from "vitest";
import { cleanName, nameKey } from "../../shared/names.ts";

describe("player names", () => {
  it("trims and collapses spaces, keeps letters of any script", () => {
    expect(cleanName("  Élodie   du  Val ")).toEqual({ ok: true, name: "Élodie du Val", key: "élodie du val" });
    expect(cleanName("Nguyễn Thị")).toMatchObject({ ok: true, name: "Nguyễn Thị" });
    expect(cleanName("O'Brien-2")).toMatchObject({ ok: true });
  });

  it("refuses control and invisible characters, wrong lengths and other symbols", () => {
    for (const bad of ["Bad\u0000Name", "Zero\u200bWidth", "Right\u202eLeft", "Line\nBreak", "ab", "x".repeat(25), "<script>", "-dash first", 42, null]) {
      expect(cleanName(bad)).toMatchObject({ ok: false, code: "name_invalid" });
    }
  });

  it("counts characters, not UTF-16 units", () => {
    expect(cleanName("é".repeat(24))).toMatchObject({ ok: true });
  });

  it("compares names without letter case or Unicode form", () => {
    expect(nameKey("ÉLODIE")).toBe(nameKey("élodie"));
    expect(nameKey("e\u0301lodie")).toBe(nameKey("élodie"));
  });
});
