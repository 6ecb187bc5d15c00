/** The pure rules of NGO accounts: slugs, receipt prefixes, the last admin, review transitions. */
import { describe, expect, it } from "vitest";
import { freeSlug, lastAdminRefusal, receiptPrefixFromSlug, reviewRefusal, slugFromName } from "../../shared/ngo-accounts.ts";

describe("slugs", () => {
  it("come from the name, without accents, punctuation or case, never empty", () => {
    expect(slugFromName("Semences Solidaires (démo)")).toBe("semences-solidaires-demo");
    expect(slugFromName("  Œuvre d'Été — Ça va ! ")).toBe("oeuvre-d-ete-ca-va");
    expect(slugFromName("漢字")).toBe("ngo");
    expect(slugFromName("a".repeat(60) + " b")).toBe("a".repeat(48));
  });

  it("take the first free number when taken", () => {
    expect(freeSlug("puits", new Set())).toBe("puits");
    expect(freeSlug("puits", new Set(["puits", "puits-2", "puits-4"]))).toBe("puits-3");
  });
});

describe("receipt prefixes", () => {
  it("are the slug's first ten letters and digits, in capitals", () => {
    expect(receiptPrefixFromSlug("semences-solidaires-demo")).toBe("SEMENCESSO");
    expect(receiptPrefixFromSlug("a")).toBe("NGOA");
  });
});

describe("the last admin", () => {
  it("cannot be demoted or leave; other changes pass", () => {
    expect(lastAdminRefusal({ currentRole: "admin", nextRole: "editor", adminCount: 1 })?.code).toBe("last_admin");
    expect(lastAdminRefusal({ currentRole: "admin", nextRole: null, adminCount: 1 })?.code).toBe("last_admin");
    expect(lastAdminRefusal({ currentRole: "admin", nextRole: "viewer", adminCount: 2 })).toBeNull();
    expect(lastAdminRefusal({ currentRole: "admin", nextRole: "admin", adminCount: 1 })).toBeNull();
    expect(lastAdminRefusal({ currentRole: "editor", nextRole: null, adminCount: 1 })).toBeNull();
  });
});

describe("reviews", () => {
  it("approve a pending or rejected NGO and reject a pending one, nothing else", () => {
    expect(reviewRefusal("pending", "approve")).toBeNull();
    expect(reviewRefusal("rejected", "approve")).toBeNull();
    expect(reviewRefusal("pending", "reject")).toBeNull();
    expect(reviewRefusal("approved", "approve")?.code).toBe("ngo_review_conflict");
    expect(reviewRefusal("approved", "reject")?.code).toBe("ngo_review_conflict");
    expect(reviewRefusal("rejected", "reject")?.code).toBe("ngo_review_conflict");
  });
});
