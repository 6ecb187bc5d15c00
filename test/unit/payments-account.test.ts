/** The pure rules of an NGO's Stripe account: its flags from Stripe's Account object, event order, the country. */
import { describe, expect, it } from "vitest";
import { accountFlags, countryCodeOf, isNewerAccountState } from "../../shared/payments-account.ts";

describe("accountFlags", () => {
  it("reads the flags, past-due requirements first, without duplicates; anything missing is 'not yet'", () => {
    expect(accountFlags({
      details_submitted: true, charges_enabled: true, payouts_enabled: false,
      requirements: { currently_due: ["external_account", "company.tax_id"], past_due: ["company.tax_id"] },
    })).toEqual({ detailsSubmitted: true, chargesEnabled: true, payoutsEnabled: false, requirementsDue: ["company.tax_id", "external_account"] });
    expect(accountFlags({})).toEqual({ detailsSubmitted: false, chargesEnabled: false, payoutsEnabled: false, requirementsDue: [] });
    expect(accountFlags({ charges_enabled: null, requirements: null }).chargesEnabled).toBe(false);
  });

  it("bounds what it keeps of a long or odd list", () => {
    const due = Array.from({ length: 80 }, (_, i) => `field_${i}`);
    expect(accountFlags({ requirements: { currently_due: [...due, "", "x".repeat(300)] } }).requirementsDue).toEqual(due.slice(0, 50));
  });
});

describe("isNewerAccountState", () => {
  it("takes a first state, a later one and one of the same moment; never an older one", () => {
    expect(isNewerAccountState(1_000, null)).toBe(true);
    expect(isNewerAccountState(2_000, 1_000)).toBe(true);
    expect(isNewerAccountState(1_000, 1_000)).toBe(true);
    expect(isNewerAccountState(999, 1_000)).toBe(false);
  });
});

describe("countryCodeOf", () => {
  it("reads a two-letter code or a known country name, else null", () => {
    expect(countryCodeOf("fr")).toBe("FR");
    expect(countryCodeOf(" France ")).toBe("FR");
    expect(countryCodeOf("Belgique")).toBe("BE");
    expect(countryCodeOf("Royaume-Uni")).toBe("GB");
    expect(countryCodeOf("Atlantis")).toBeNull();
    expect(countryCodeOf("")).toBeNull();
    expect(countryCodeOf(null)).toBeNull();
    expect(countryCodeOf("F1")).toBeNull();
  });
});
