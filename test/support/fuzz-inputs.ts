/**
 * Malformed input for the fuzz test (test/integration/fuzz.test.ts), drawn
 * from a seeded generator so every run sends the same requests.
 */

/** mulberry32: a small seeded PRNG (0 ≤ x < 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n distinct picks of a list (all of it when n ≥ its length), in the generator's order. */
export function pick<T>(random: () => number, list: readonly T[], n: number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** A request the fuzzer sends: a body as raw bytes with its content type (or none). */
export interface FuzzBody {
  label: string;
  contentType?: string;
  raw?: string | Uint8Array<ArrayBuffer>;
}

const json = (label: string, value: unknown): FuzzBody => ({ label, contentType: "application/json", raw: JSON.stringify(value) });

/** Values a field should never accept, whatever its type. */
export const BAD_VALUES: ReadonlyArray<[string, unknown]> = [
  ["number", 12345678901234567890],
  ["negative", -1],
  ["float", 0.5],
  ["null", null],
  ["true", true],
  ["array", ["a", 1, null]],
  ["object", { nested: { deeper: "x" } }],
  ["empty string", ""],
  ["NUL", "abc\u0000def"],
  ["only NUL", "\u0000"],
  ["bidi override", "\u202egnp.exe"],
  ["isolates", "\u2066name\u2069"],
  ["lone surrogate", "a\ud800b"],
  ["control chars", "a\u0007\u001b[31mred"],
  ["huge string", "x".repeat(20_000)],
  ["emoji", "👨‍👩‍👧‍👦".repeat(50)],
  ["sql", "'; drop table players; --"],
  ["uuid-like", "00000000-0000-0000-0000-000000000000"],
  ["date-like", "2026-02-30T25:61:00Z"],
  ["proto", { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }],
];

/** Bodies that are malformed as a whole, whatever the route expects. */
export function wholeBodies(sample: Record<string, unknown>): FuzzBody[] {
  let deep: unknown = "bottom";
  for (let i = 0; i < 500; i++) deep = { a: deep };
  return [
    json("empty object", {}),
    json("array for object", [sample]),
    json("empty array", []),
    { label: "null", contentType: "application/json", raw: "null" },
    { label: "number", contentType: "application/json", raw: "42" },
    { label: "string", contentType: "application/json", raw: "\"\\u0000\"" },
    { label: "not JSON", contentType: "application/json", raw: "{name: 'x'" },
    { label: "truncated", contentType: "application/json", raw: JSON.stringify(sample).slice(0, 7) },
    { label: "deep nesting", contentType: "application/json", raw: "[".repeat(5000) + "]".repeat(5000) },
    json("deep object", deep),
    json("NUL key", { ...sample, "a\u0000b": 1 }),
    json("lone surrogate key", { ...sample, "\ud800": 1 }),
    { label: "invalid UTF-8", contentType: "application/json", raw: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
    { label: "UTF-16 charset", contentType: "application/json; charset=utf-16", raw: JSON.stringify(sample) },
    { label: "unknown charset", contentType: "application/json; charset=klingon", raw: JSON.stringify(sample) },
    { label: "text/plain", contentType: "text/plain", raw: JSON.stringify(sample) },
    { label: "form", contentType: "application/x-www-form-urlencoded", raw: "name=%00&role=admin&a[b][c]=1" },
    { label: "multipart junk", contentType: "multipart/form-data; boundary=x", raw: "--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nnot a png\r\n--x--\r\n" },
    { label: "multipart no boundary", contentType: "multipart/form-data", raw: "garbage" },
    { label: "too large", contentType: "application/json", raw: JSON.stringify({ ...sample, pad: "x".repeat(40_000) }) },
    { label: "no content type", raw: JSON.stringify(sample) },
  ];
}

/**
 * The sample with one field replaced by a bad value or removed: for every field, a NUL byte and
 * a lone surrogate (what databases refuse) and `extra` other bad values drawn by `random`.
 */
export function fieldBodies(sample: Record<string, unknown>, random: () => number, extra: number): FuzzBody[] {
  const out: FuzzBody[] = [];
  const always = BAD_VALUES.filter(([label]) => label === "NUL" || label === "lone surrogate");
  const others = BAD_VALUES.filter((v) => !always.includes(v));
  for (const key of Object.keys(sample)) {
    const { [key]: _dropped, ...without } = sample;
    if (extra > 0) out.push(json(`${key} missing`, without));
    for (const [label, value] of [...always, ...pick(random, others, extra)]) out.push(json(`${key} = ${label}`, { ...sample, [key]: value }));
  }
  return out;
}

/** Path parameter values (already percent-encoded as they go in the URL). */
export const BAD_PARAMS: readonly string[] = [
  "%00", "abc%00", "%ZZ", "%E0%A4%A", "%C3%28", "%ED%A0%80", "..%2F..%2Fetc%2Fpasswd", "x".repeat(3000), "%F0%9F%98%80",
  "%E2%80%AEexe", "-1", "null", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "%20", "1e309",
];

/** Query strings a route should shrug off. */
export const BAD_QUERIES: readonly string[] = [
  "?lang=%00", "?lang=xx&lang=en", "?limit=-5&before=%00", "?limit=1e309", "?year=abc", "?year=%ff", "?to=%00", "?to=%C3%28",
  "?status=x&status=y", "?from=2026-13-45&to=%00", "?%", "?a[b][c][d]=1", "?limit=" + "9".repeat(400),
];
