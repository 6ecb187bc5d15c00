/**
 * docs/operations.md lists, for each webhook endpoint, exactly the events
 * server/payments/required-events.ts requires (the same ones the start-up
 * check asks Stripe for): the doc cannot drift from the code.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONNECT_EVENTS, PLATFORM_EVENTS } from "../../server/payments/required-events.ts";
import { missingWebhookSetup } from "../../server/payments/webhook-endpoints-check.ts";

const doc = readFileSync(path.resolve(import.meta.dirname, "../../docs/operations.md"), "utf8");

/** The `- \`event\`` items under a "### <title>" heading, up to the next heading. */
function listedUnder(title: string): string[] {
  const start = doc.indexOf(`### ${title}\n`);
  if (start < 0) throw new Error(`docs/operations.md has no "### ${title}" section`);
  const rest = doc.slice(start + title.length + 5);
  const section = rest.slice(0, rest.search(/\n#{2,3} /) >= 0 ? rest.search(/\n#{2,3} /) : undefined);
  return [...section.matchAll(/^- `([a-z_.]+)`$/gm)].map((m) => m[1]!);
}

describe("docs/operations.md, Stripe endpoints", () => {
  it("lists exactly the platform endpoint's events", () => {
    expect(listedUnder("Platform endpoint")).toEqual([...PLATFORM_EVENTS]);
    expect(doc).toContain("URL `$PUBLIC_URL/webhooks/stripe`, ");
  });

  it("lists exactly the Connect endpoint's events", () => {
    expect(listedUnder("Connect endpoint")).toEqual([...CONNECT_EVENTS]);
    expect(doc).toContain("URL `$PUBLIC_URL/webhooks/stripe/connect`, ");
  });
});

describe("README.md, Stripe webhook events", () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  /** The backquoted events of the README's line for an endpoint. */
  const eventsOf = (label: string) => {
    const line = readme.split("\n").find((l) => l.startsWith(`- **${label}** `)) ?? "";
    return [...(line.split("): ")[1] ?? "").matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]!);
  };

  it("names exactly the events of each endpoint", () => {
    expect(eventsOf("Platform")).toEqual([...PLATFORM_EVENTS]);
    expect(eventsOf("Connect")).toEqual([...CONNECT_EVENTS]);
  });
});

describe("the start-up check's rule", () => {
  const base = "https://hameau.example";
  const platform = { url: `${base}/webhooks/stripe`, status: "enabled", connect: false, enabledEvents: [...PLATFORM_EVENTS] };
  const connect = { url: `${base}/webhooks/stripe/connect`, status: "enabled", connect: true, enabledEvents: [...CONNECT_EVENTS] };

  it("is satisfied by both endpoints with their events, or with '*', split over several endpoints of one URL too", () => {
    expect(missingWebhookSetup([platform, connect], base)).toEqual([]);
    expect(missingWebhookSetup([{ ...platform, enabledEvents: ["*"] }, { ...connect, enabledEvents: ["*"] }], base)).toEqual([]);
    const half = PLATFORM_EVENTS.length >> 1;
    expect(missingWebhookSetup([
      { ...platform, enabledEvents: PLATFORM_EVENTS.slice(0, half) }, { ...platform, enabledEvents: PLATFORM_EVENTS.slice(half) }, connect,
    ], base)).toEqual([]);
  });

  it("names each missing event and endpoint", () => {
    const problems = missingWebhookSetup([{ ...platform, enabledEvents: ["checkout.session.completed"] }], base);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(`the platform webhook endpoint ${base}/webhooks/stripe is missing the events ${PLATFORM_EVENTS.slice(1).join(", ")}`);
    expect(problems[1]).toContain(`no enabled Connect webhook endpoint at ${base}/webhooks/stripe/connect`);
    // A Connect endpoint does not stand in for the platform one, nor the reverse.
    expect(missingWebhookSetup([{ ...connect, url: platform.url }, { ...platform, url: connect.url }], base)).toHaveLength(2);
  });
});
