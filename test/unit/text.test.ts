import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, isStorableText, jsonProblem, textProblem } from "../../shared/text.ts";
import { cleanName } from "../../shared/names.ts";

describe("what text may hold", () => {
  it("is storable without a NUL or a lone surrogate; pairs (emoji) are fine", () => {
    expect(isStorableText("Élodie 👩‍🌾 王")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("a\ud800b")).toBe(false);
    expect(isStorableText("a\udc00")).toBe(false);
  });

  it("refuses controls in a line, allows line breaks and tabs in a paragraph, and refuses bidi controls in both", () => {
    expect(textProblem("Des puits pour tous", "line")).toBeNull();
    expect(textProblem("ماعز · עז · 山羊", "line")).toBeNull();
    expect(textProblem("deux\nlignes", "line")).toBe("control_characters");
    expect(textProblem("deux\nlignes\tet un tab", "paragraph")).toBeNull();
    expect(textProblem("bell\u0007", "paragraph")).toBe("control_characters");
    expect(textProblem("c1\u0085", "paragraph")).toBe("control_characters");
    expect(textProblem("nul\u0000", "paragraph")).toBe("control_characters");
    for (const bidi of ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200e", "\u061c"]) {
      expect(textProblem(`name${bidi}gpj.exe`, "line")).toBe("bidi_controls");
      expect(textProblem(`text${bidi}`, "paragraph")).toBe("bidi_controls");
    }
  });

  it("refuses the same controls in player names (shared rule)", () => {
    expect(cleanName("Bob\u202e").ok).toBe(false);
    expect(cleanName("Bob\u0000").ok).toBe(false);
    expect(cleanName("Наталья").ok).toBe(true);
  });

  it("walks a JSON body without recursion: unstorable keys or strings anywhere, and nesting too deep", () => {
    expect(jsonProblem({ a: ["x", { b: "ok" }], n: 1, t: true, z: null })).toBeNull();
    expect(jsonProblem({ a: [{ b: "x\u0000" }] })).toEqual({ path: "a.0.b", problem: "text_not_storable" });
    expect(jsonProblem({ "k\u0000": 1 })?.problem).toBe("text_not_storable");
    expect(jsonProblem("\ud800")).toEqual({ path: "(root)", problem: "text_not_storable" });
    let deep: unknown = "bottom";
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    expect(jsonProblem(deep)).toBeNull();
    expect(jsonProblem([deep])?.problem).toBe("too_deep");
    let huge: unknown = 1;
    for (let i = 0; i < 100_000; i++) huge = [huge];
    expect(jsonProblem(huge, 200_000)).toBeNull();
  });
});
