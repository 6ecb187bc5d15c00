/**
 * The NGO's identity fields, shared by the application and the settings:
 * what French tax receipts print (legal name, status, registration, address,
 * purpose, signatory) and whom the platform contacts.
 */
import type { NgoApplicationRequest, NgoSettingsRequest, NgoSettingsView } from "../../../shared/ngo-accounts.ts";
import { type FieldSpec, type FormValues, read } from "../form.ts";

export function identityFields(): Array<FieldSpec | FieldSpec[]> {
  return [
    [{ name: "name", label: "ngo.name", kind: "text", maxlength: 80 }, { name: "legalName", label: "ngo.legalName", kind: "text", maxlength: 160 }],
    [{ name: "legalStatus", label: "ngo.legalStatus", kind: "text", maxlength: 160, hint: "ngo.legalStatusHint" }, { name: "registrationNumber", label: "ngo.registration", kind: "text", optional: true, maxlength: 60, hint: "ngo.registrationHint" }],
    { name: "purpose", label: "ngo.purpose", kind: "textarea", maxlength: 1000, hint: "ngo.purposeHint" },
    [{ name: "contactName", label: "ngo.contactName", kind: "text", maxlength: 80 }, { name: "contactEmail", label: "ngo.contactEmail", kind: "email", maxlength: 254 }],
    { name: "website", label: "ngo.website", kind: "url", optional: true, maxlength: 200 },
    [{ name: "address1", label: "ngo.address1", kind: "text", maxlength: 120 }, { name: "address2", label: "ngo.address2", kind: "text", optional: true, maxlength: 120 }],
    [{ name: "postalCode", label: "ngo.postalCode", kind: "text", maxlength: 10 }, { name: "city", label: "ngo.city", kind: "text", maxlength: 80 }, { name: "country", label: "ngo.country", kind: "text", maxlength: 60 }],
    [{ name: "signatoryName", label: "ngo.signatoryName", kind: "text", maxlength: 80 }, { name: "signatoryTitle", label: "ngo.signatoryTitle", kind: "text", maxlength: 80 }],
  ];
}

/** Error paths of the nested address ("address.addressLines.0", "address.city") → the form's inputs. */
export function identityFieldOf(path: string): string | undefined {
  if (!path.startsWith("address")) return undefined;
  const [, part, index] = path.split(".");
  if (part === "addressLines") return index === "1" ? "address2" : "address1";
  if (part === "postalCode" || part === "city" || part === "country") return part;
  return "address1";
}

export function identityValues(s: NgoSettingsView): FormValues {
  return {
    name: s.name, legalName: s.legalName, legalStatus: s.legalStatus, registrationNumber: s.registrationNumber ?? "",
    purpose: s.purpose, contactName: s.contactName, contactEmail: s.contactEmail, website: s.website ?? "",
    address1: s.address?.addressLines[0] ?? "", address2: s.address?.addressLines.slice(1).join(", ") ?? "",
    postalCode: s.address?.postalCode ?? "", city: s.address?.city ?? "", country: s.address?.country ?? "France",
    signatoryName: s.signatoryName ?? "", signatoryTitle: s.signatoryTitle ?? "",
  };
}

export function identityBody(v: FormValues): NgoApplicationRequest {
  return {
    name: read.text(v.name), legalName: read.text(v.legalName), legalStatus: read.text(v.legalStatus),
    registrationNumber: read.optionalText(v.registrationNumber), purpose: read.text(v.purpose),
    contactName: read.text(v.contactName), contactEmail: read.text(v.contactEmail), website: read.optionalText(v.website),
    address: {
      addressLines: [read.text(v.address1), read.text(v.address2)].filter((l) => l !== ""),
      postalCode: read.text(v.postalCode), city: read.text(v.city), country: read.text(v.country),
    },
    signatoryName: read.text(v.signatoryName), signatoryTitle: read.text(v.signatoryTitle),
  };
}

/**
 * The settings' PATCH body: only the identity fields the admin changed. Sending the whole identity
 * made every save of an NGO with no address or signatory yet (made by an operator, not through the
 * application) fail on those empty fields, whatever the admin had changed.
 */
export function changedIdentity(v: FormValues, initial: FormValues): NgoSettingsRequest {
  const now = identityBody(v);
  const before = identityBody(initial);
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(now) as Array<keyof NgoApplicationRequest>) {
    if (JSON.stringify(now[key]) !== JSON.stringify(before[key])) changed[key] = now[key];
  }
  return changed as NgoSettingsRequest;
}
