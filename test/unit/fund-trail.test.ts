import { describe, expect, it } from "vitest";
import {
  TrailStepRequest, checkNewStep, latestDateAnywhere, parisDate, stepFor, trailOf, type TrailStep,
} from "../../shared/fund-trail.ts";

const at = (iso: string) => Date.parse(iso);
const NOW = at("2026-11-26T12:00:00Z");

describe("a unit's trail", () => {
  const steps: TrailStep[] = [
    { stage: "sent_to_field", happenedOn: "2026-11-20", coversPaidBefore: at("2026-11-19T23:00:00Z") },
    { stage: "sent_to_field", happenedOn: "2026-11-25", coversPaidBefore: at("2026-11-24T23:00:00Z") },
    { stage: "in_use", happenedOn: "2026-11-26", coversPaidBefore: at("2026-11-19T23:00:00Z") },
  ];

  it("is funded on its payment's Paris date, then dated by the earliest step covering it", () => {
    expect(trailOf(at("2026-11-03T10:00:00Z"), steps)).toEqual({ funded: "2026-11-03", sentToField: "2026-11-20", inUse: "2026-11-26" });
    expect(trailOf(at("2026-11-22T10:00:00Z"), steps)).toEqual({ funded: "2026-11-22", sentToField: "2026-11-25", inUse: null });
    expect(trailOf(at("2026-11-25T10:00:00Z"), steps)).toEqual({ funded: "2026-11-25", sentToField: null, inUse: null });
  });

  it("counts a unit paid exactly at coversPaidBefore as covered, and uses Paris for the funded date", () => {
    expect(trailOf(at("2026-11-19T23:00:00Z"), steps).sentToField).toBe("2026-11-20");
    expect(parisDate(at("2026-11-19T23:30:00Z"))).toBe("2026-11-20");
  });

  it("picks the earliest-dated step even when recorded later", () => {
    const late = [...steps, { stage: "sent_to_field" as const, happenedOn: "2026-11-10", coversPaidBefore: at("2026-11-05T00:00:00Z") }];
    expect(stepFor(late, "sent_to_field", at("2026-11-03T00:00:00Z"))?.happenedOn).toBe("2026-11-10");
  });
});

describe("appending a step", () => {
  const base = { existing: [] as TrailStep[], now: NOW, coversPaidBefore: NOW };

  it("refuses a date in the future, allowing today anywhere on Earth", () => {
    expect(latestDateAnywhere(at("2026-11-26T12:00:00Z"))).toBe("2026-11-27");
    expect(checkNewStep({ ...base, stage: "sent_to_field", happenedOn: "2026-11-27", latestCoveredPaidAt: null })).toEqual({ ok: true });
    expect(checkNewStep({ ...base, stage: "sent_to_field", happenedOn: "2026-11-28", latestCoveredPaidAt: null }))
      .toMatchObject({ ok: false, code: "trail_date_future", field: "happenedOn" });
    expect(checkNewStep({ ...base, stage: "sent_to_field", happenedOn: "2026-11-20", coversPaidBefore: NOW + 1, latestCoveredPaidAt: null }))
      .toMatchObject({ ok: false, code: "trail_date_future", field: "coversPaidBefore" });
  });

  it("refuses sending to the field before the covered units were funded", () => {
    const latest = at("2026-11-21T09:00:00Z");
    expect(checkNewStep({ ...base, stage: "sent_to_field", happenedOn: "2026-11-20", latestCoveredPaidAt: latest }))
      .toMatchObject({ ok: false, code: "trail_date_order", field: "happenedOn" });
    expect(checkNewStep({ ...base, stage: "sent_to_field", happenedOn: "2026-11-21", latestCoveredPaidAt: latest })).toEqual({ ok: true });
  });

  it("refuses 'in use' for units not sent to the field yet, or before they were", () => {
    const latest = at("2026-11-10T09:00:00Z");
    const sent: TrailStep[] = [{ stage: "sent_to_field", happenedOn: "2026-11-20", coversPaidBefore: at("2026-11-15T00:00:00Z") }];
    expect(checkNewStep({ ...base, stage: "in_use", happenedOn: "2026-11-25", latestCoveredPaidAt: latest }))
      .toMatchObject({ ok: false, code: "trail_date_order" });
    expect(checkNewStep({ ...base, existing: sent, stage: "in_use", happenedOn: "2026-11-19", latestCoveredPaidAt: latest }))
      .toMatchObject({ ok: false, code: "trail_date_order" });
    expect(checkNewStep({ ...base, existing: sent, stage: "in_use", happenedOn: "2026-11-20", latestCoveredPaidAt: latest })).toEqual({ ok: true });
    // A unit paid after what was sent is covered too: it has not been sent, so not yet.
    expect(checkNewStep({ ...base, existing: sent, stage: "in_use", happenedOn: "2026-11-25", latestCoveredPaidAt: at("2026-11-16T00:00:00Z") }))
      .toMatchObject({ ok: false, code: "trail_date_order" });
  });

  it("accepts anything dated when it covers no unit yet", () => {
    expect(checkNewStep({ ...base, stage: "in_use", happenedOn: "2020-01-01", latestCoveredPaidAt: null })).toEqual({ ok: true });
  });
});

describe("the request", () => {
  it("takes a real date, a stage, optional notes without control characters", () => {
    expect(TrailStepRequest.safeParse({ stage: "in_use", happenedOn: "2026-11-20" }).data).toEqual({
      stage: "in_use", happenedOn: "2026-11-20", noteFr: "", noteEn: "",
    });
    const bad = TrailStepRequest.safeParse({ stage: "funded", happenedOn: "2026-02-30", noteFr: "a\u0007b", coversPaidBefore: "yesterday" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["stage", "happenedOn", "coversPaidBefore", "noteFr"]);
  });
});
