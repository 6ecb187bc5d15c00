/**
 * The NGO's tax-receipt settings (admins): whether it may issue French tax
 * receipts (article 200 CGI: general interest or public utility) with its
 * evidence, and the refund window after which a payment counts as received.
 * An NGO that declares no status issues no tax receipt; donors are told why.
 */
import type { NgoSettingsRequest, NgoSettingsView } from "../../../shared/ngo-accounts.ts";
import { TAX_RECEIPT_STATUSES, type TaxEligibilityView, type TaxReceiptStatus } from "../../../shared/tax-eligibility.ts";
import { type FieldSpec, type FormValues, read } from "../form.ts";
import { ct } from "../i18n.ts";

export function taxReceiptFields(): Array<FieldSpec | FieldSpec[]> {
  return [
    { name: "taxStatus", label: "tax.status", kind: "select", hint: "tax.statusHint", choices: () => TAX_RECEIPT_STATUSES.map((s) => ({ value: s, label: ct(`tax.status.${s}`) })) },
    [
      { name: "taxReference", label: "tax.reference", kind: "text", maxlength: 200, hint: "tax.referenceHint" },
      { name: "taxDate", label: "tax.date", kind: "date", hint: "tax.dateHint" },
    ],
    { name: "taxDocumentUrl", label: "tax.document", kind: "url", optional: true, maxlength: 300, hint: "tax.documentHint" },
    { name: "refundWindowDays", label: "tax.window", kind: "integer", hint: "tax.windowHint" },
  ];
}

export function taxReceiptValues(s: NgoSettingsView): FormValues {
  return {
    taxStatus: s.taxEligibility.status, taxReference: s.taxEligibility.reference ?? "", taxDate: s.taxEligibility.date ?? "",
    taxDocumentUrl: s.taxEligibility.documentUrl ?? "", refundWindowDays: String(s.refundWindowDays),
  };
}

export function taxReceiptBody(v: FormValues): NgoSettingsRequest {
  const status = read.text(v.taxStatus) as TaxReceiptStatus;
  const window = read.optionalInteger(v.refundWindowDays);
  return {
    taxEligibility: status === "none"
      ? { status }
      : { status, reference: read.text(v.taxReference), date: read.text(v.taxDate), documentUrl: read.optionalText(v.taxDocumentUrl) },
    ...(window === null ? {} : { refundWindowDays: window as number }),
  };
}

/** Error paths ("taxEligibility.reference") → the form's inputs. */
export function taxReceiptFieldOf(path: string): string | undefined {
  const [head, part] = path.split(".");
  if (head !== "taxEligibility") return undefined;
  return { reference: "taxReference", date: "taxDate", documentUrl: "taxDocumentUrl" }[part ?? ""] ?? "taxStatus";
}

/** One line for the platform review: the status and its evidence. */
export function eligibilityText(e: TaxEligibilityView): string {
  if (e.status === "none") return ct("tax.status.none");
  return [ct(`tax.status.${e.status}`), e.reference, e.date, e.documentUrl].filter(Boolean).join(" · ");
}
