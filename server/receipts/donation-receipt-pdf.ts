/**
 * The per-order payment receipt (French or English): what was given, to
 * which project, for how much, and how it was paid. It is a proof of
 * payment, NOT a tax receipt, and it says so in so many words; the French tax
 * receipt is tax-receipt-pdf.ts.
 */
import type { Locale } from "../../shared/money.ts";
import type { DonationReceipt } from "../../shared/receipts.ts";
import {
  BOLD, COLORS, FONT, MARGIN, type PdfRenderOptions, type TextItem,
  canDrawEuroSign, contentWidth, createDocument, drawFooters, drawHeaderBand, drawItems, ensureSpace, finish,
  formatDate, formatEuros, measureItems, sectionTitle, winAnsi,
} from "./pdf-layout.ts";
import { drawTable } from "./pdf-table.ts";

const TEXT = {
  fr: {
    order: "Commande n°",
    title: "Reçu de paiement",
    thanks: "Merci pour votre don ! Voici le détail de votre commande.",
    date: "Date du paiement",
    method: "Moyen de paiement",
    donor: "Donateur",
    details: "Détail des dons",
    gift: "Cadeau",
    project: "Projet",
    quantity: "Qté",
    unitPrice: "Prix unitaire",
    amount: "Montant",
    total: "Total payé",
    beneficiary: "Bénéficiaire",
    beneficiaries: "Répartition par organisation",
    several: "Un paiement, plusieurs organisations bénéficiaires",
    organisation: "Organisation",
    received: "Reçu",
    refunded: "Remboursé",
    kept: "Montant conservé",
    refundedNote: "remboursé",
    refundsLead: "Une partie de ce paiement a été remboursée (ou reprise par une contestation bancaire perdue) : le détail figure ligne par ligne.",
    matchedBy: "Abondé par {sponsor} : {amount}. Cet abondement est le don de {sponsor}, versé directement à l'organisation : il ne fait partie ni de votre paiement ni de votre reçu fiscal.",
    notTaxReceipt: "Ce document n'est pas un reçu fiscal.",
    notTaxReceiptMore:
      "Il atteste uniquement de votre paiement. Le cas échéant, le reçu fiscal ouvrant droit à réduction d'impôt est établi séparément.",
    footer: "Reçu de paiement de la commande",
    page: "Page",
  },
  en: {
    order: "Order no.",
    title: "Payment receipt",
    thanks: "Thank you for your donation! Here are the details of your order.",
    date: "Payment date",
    method: "Payment method",
    donor: "Donor",
    details: "Your gifts",
    gift: "Gift",
    project: "Project",
    quantity: "Qty",
    unitPrice: "Unit price",
    amount: "Amount",
    total: "Total paid",
    beneficiary: "Beneficiary",
    beneficiaries: "What each organisation received",
    several: "One payment, several beneficiary organisations",
    organisation: "Organisation",
    received: "Received",
    refunded: "Refunded",
    kept: "Amount kept",
    refundedNote: "refunded",
    refundsLead: "Part of this payment was refunded (or taken back by a lost bank dispute): the detail is given line by line.",
    matchedBy: "Matched by {sponsor}: {amount}. This match is {sponsor}'s own gift, paid directly to the organisation: it is part of neither your payment nor your tax receipt.",
    notTaxReceipt: "This document is not a tax receipt.",
    notTaxReceiptMore: "It only confirms your payment. Where applicable, a tax receipt is issued separately.",
    footer: "Payment receipt for order",
    page: "Page",
  },
} as const satisfies Record<Locale, Record<string, string>>;

/** The sentence a payment receipt prints for a sponsor's match (the sponsor's gift, not the donor's). */
export function matchedByNotice(locale: Locale, sponsor: string, amount: string): string {
  return TEXT[locale].matchedBy.replaceAll("{sponsor}", sponsor).replace("{amount}", amount);
}

/** The sentence every payment receipt carries, by locale (tests and e-mails use it too). */
export const NOT_A_TAX_RECEIPT: Record<Locale, string> = { fr: TEXT.fr.notTaxReceipt, en: TEXT.en.notTaxReceipt };

export function validateDonationReceipt(receipt: DonationReceipt): void {
  if (receipt.lines.length === 0) throw new RangeError("a receipt needs at least one line");
  let sum = 0;
  for (const line of receipt.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) throw new RangeError(`bad quantity ${line.quantity}`);
    if (!Number.isSafeInteger(line.unitPriceCents) || line.unitPriceCents < 0) {
      throw new RangeError(`bad unit price ${line.unitPriceCents}`);
    }
    if (line.amountCents !== line.quantity * line.unitPriceCents) {
      throw new RangeError(`line amount ${line.amountCents} is not ${line.quantity} × ${line.unitPriceCents}`);
    }
    sum += line.amountCents;
  }
  if (sum !== receipt.totalCents) throw new RangeError(`total ${receipt.totalCents} is not the sum of the lines (${sum})`);
  const refunded = receipt.lines.reduce((s, l) => s + (l.refundedCents ?? 0), 0);
  if (receipt.lines.some((l) => (l.refundedCents ?? 0) < 0 || (l.refundedCents ?? 0) > l.amountCents)) throw new RangeError("a line's refund is out of its amount");
  if ((receipt.refundedCents ?? 0) !== refunded) throw new RangeError(`refunded ${receipt.refundedCents ?? 0} is not the sum of the lines' refunds (${refunded})`);
  if (Number.isNaN(receipt.paidAt.getTime())) throw new RangeError("invalid payment date");
}

export async function renderDonationReceiptPdf(receipt: DonationReceipt, options: PdfRenderOptions = {}): Promise<Buffer> {
  validateDonationReceipt(receipt);
  const { locale } = receipt;
  const t = TEXT[locale];
  const doc = createDocument({
    title: `${t.title} ${receipt.orderId}`,
    subject: t.title,
    author: receipt.ngo.legalName,
    createdAt: receipt.paidAt,
    locale,
  }, options);
  doc.font(FONT);
  const euroSign = canDrawEuroSign(doc);
  const money = (cents: number) => formatEuros(cents, locale, euroSign);
  const width = contentWidth(doc);

  // A basket for several NGOs is not one NGO's receipt: the header names them all.
  const mixed = (receipt.ngos?.length ?? 1) > 1;
  drawHeaderBand(doc, mixed
    ? { title: receipt.ngos!.map((n) => n.name).join(" · "), subtitle: t.several, rightLabel: t.order, rightValue: receipt.orderId }
    : { title: receipt.ngo.name, subtitle: receipt.ngo.legalName, rightLabel: t.order, rightValue: receipt.orderId });
  doc.y = drawItems(doc, [
    { text: t.title, font: BOLD, size: 16 },
    { text: t.thanks, size: 9.5, color: COLORS.muted, gap: 3 },
  ], MARGIN, doc.y, width) + 16;

  // Date, payment method and donor, in columns.
  const fields: Array<[string, string]> = [
    [t.date, formatDate(receipt.paidAt, locale, "long")],
    [t.method, receipt.paymentMethod],
  ];
  const donor = [receipt.donor?.name, receipt.donor?.email].filter((v): v is string => !!v).join("\n");
  if (donor) fields.push([t.donor, donor]);
  const columnWidth = width / 3;
  const fieldItems = (label: string, value: string): TextItem[] => [
    { text: label, size: 7.5, color: COLORS.muted },
    { text: value, size: 10, gap: 2 },
  ];
  const fieldsHeight = Math.max(...fields.map(([l, v]) => measureItems(doc, fieldItems(l, v), columnWidth - 12)));
  const fieldsY = doc.y;
  fields.forEach(([label, value], i) => drawItems(doc, fieldItems(label, value), MARGIN + i * columnWidth, fieldsY, columnWidth - 12));
  doc.x = MARGIN;
  doc.y = fieldsY + fieldsHeight + 20;

  sectionTitle(doc, t.details);
  drawTable(doc, {
    columns: [
      { header: t.gift, weight: 1.5 },
      { header: t.project, weight: 2 },
      { header: t.quantity, weight: 0.5, align: "right" },
      { header: t.unitPrice, weight: 0.95, align: "right" },
      { header: t.amount, weight: 0.95, align: "right" },
    ],
    rows: receipt.lines.map((l) => [l.giftName, l.projectName, String(l.quantity), money(l.unitPriceCents), money(l.amountCents)]),
    notes: receipt.lines.map((l) => ["", l.ngoName ?? "", "", "", l.refundedCents ? `${t.refundedNote} −${money(l.refundedCents)}` : ""]),
    total: [t.total, "", "", "", money(receipt.totalCents)],
  });
  doc.y += 10;
  const refunded = receipt.refundedCents ?? 0;
  if (refunded > 0) {
    ensureSpace(doc, 60);
    doc.font(FONT).fontSize(9).fillColor(COLORS.muted).text(winAnsi(t.refundsLead), MARGIN, doc.y, { width });
    doc.y += 6;
    drawTable(doc, {
      columns: [{ header: t.total, weight: 1, align: "right" }, { header: t.refunded, weight: 1, align: "right" }, { header: t.kept, weight: 1, align: "right" }],
      rows: [[money(receipt.totalCents), `−${money(refunded)}`, money(receipt.totalCents - refunded)]],
    });
    doc.y += 10;
  }
  for (const m of receipt.sponsorMatches ?? []) {
    const text = winAnsi(matchedByNotice(receipt.locale, m.sponsor, money(m.matchedCents)));
    ensureSpace(doc, 40);
    doc.font(FONT).fontSize(9).fillColor(COLORS.brandDark).text(text, MARGIN, doc.y, { width });
    doc.y += 8;
  }
  if (receipt.ngos && receipt.ngos.length > 0) {
    sectionTitle(doc, t.beneficiaries);
    drawTable(doc, {
      columns: [
        { header: t.organisation, weight: 2.6 },
        { header: t.received, weight: 1, align: "right" },
        { header: t.refunded, weight: 1, align: "right" },
        { header: t.kept, weight: 1.1, align: "right" },
      ],
      rows: receipt.ngos.map((n) => [n.name, money(n.paidCents), n.refundedCents ? `−${money(n.refundedCents)}` : "—", money(n.paidCents - n.refundedCents)]),
      notes: receipt.ngos.map((n) => [n.legalName, "", "", ""]),
    });
  }
  doc.y += 22;

  // Beneficiary.
  const ngo = receipt.ngo;
  const ngoItems: TextItem[] = [
    { text: ngo.legalName, font: BOLD, size: 10 },
    ...(ngo.registrationNumber ? [{ text: ngo.registrationNumber, size: 8.5, color: COLORS.muted, gap: 1 }] : []),
    ...(ngo.address
      ? [...ngo.address.addressLines, `${ngo.address.postalCode} ${ngo.address.city}`, ngo.address.country]
          .filter((l) => l.trim() !== "")
          .map((text, i) => ({ text, size: 9, gap: i === 0 ? 3 : 0 }))
      : []),
  ];
  if (!mixed) {
    sectionTitle(doc, t.beneficiary);
    ensureSpace(doc, measureItems(doc, ngoItems, width));
    doc.y = drawItems(doc, ngoItems, MARGIN, doc.y, width) + 22;
  }

  // The notice: grey box, unmistakable.
  const notice: TextItem[] = [
    { text: t.notTaxReceipt, font: BOLD, size: 9.5, color: COLORS.ink },
    { text: t.notTaxReceiptMore, size: 8.5, color: COLORS.muted, gap: 2 },
  ];
  const noticeHeight = measureItems(doc, notice, width - 32) + 22;
  ensureSpace(doc, noticeHeight);
  const noticeY = doc.y;
  doc.save().roundedRect(MARGIN, noticeY, width, noticeHeight, 4).fill("#F3F4F6").restore();
  drawItems(doc, notice, MARGIN + 16, noticeY + 11, width - 32);
  doc.x = MARGIN;
  doc.y = noticeY + noticeHeight;

  drawFooters(doc, `${t.footer} ${receipt.orderId} · ${mixed ? receipt.ngos!.map((n) => n.legalName).join(", ") : ngo.legalName} · Hameau`, t.page);
  return finish(doc);
}
