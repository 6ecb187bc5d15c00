/**
 * The French tax receipt ("reçu fiscal") as a PDF: the mentions of the Cerfa
 * n° 11580 model ("Reçu au titre des dons à certains organismes d'intérêt
 * général", articles 200, 238 bis et 978 du code général des impôts) for the
 * donations of one donor, usually over one calendar year.
 *
 * Rendering is pure: the same TaxReceipt gives the same bytes. Numbering,
 * storage and sending are the caller's business. renderDonationReceiptPdf
 * (the per-order proof of payment, which is not a tax receipt) lives in
 * donation-receipt-pdf.ts and is re-exported here.
 */
import { amountInFrenchWords } from "../../shared/amount-in-words.ts";
import type { PostalAddress, TaxReceipt, TaxReceiptCancellation } from "../../shared/receipts.ts";
import {
  BOLD, COLORS, FONT, ITALIC, MARGIN, type PdfRenderOptions, type TextItem,
  canDrawEuroSign, contentWidth, createDocument, drawFooters, drawHeaderBand, drawItems, ensureSpace, finish,
  formatDate, formatEuros, measureItems, sectionTitle, winAnsi, yearInFrance,
} from "./pdf-layout.ts";
import { drawTable } from "./pdf-table.ts";

export { renderDonationReceiptPdf } from "./donation-receipt-pdf.ts";
export type { PdfRenderOptions } from "./pdf-layout.ts";

export const TAX_RECEIPT_TITLE = "Reçu au titre des dons à certains organismes d'intérêt général";
export const TAX_RECEIPT_ARTICLES = "Articles 200, 238 bis et 978 du code général des impôts";
export const TAX_RECEIPT_CERTIFICATION =
  "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit " +
  "à la réduction d'impôt prévue à l'article 200 du CGI.";

/** Refuses a receipt that would be wrong on paper: no donation, a total that is not the sum, a payment of another year. */
export function validateTaxReceipt(receipt: TaxReceipt): void {
  if (receipt.number.trim() === "") throw new RangeError("a tax receipt needs a number");
  if (receipt.donations.length === 0) throw new RangeError("a tax receipt needs at least one donation");
  let sum = 0;
  for (const d of receipt.donations) {
    if (!Number.isSafeInteger(d.amountCents) || d.amountCents <= 0) {
      throw new RangeError(`donation amount must be a positive integer number of cents, got ${d.amountCents}`);
    }
    if (yearInFrance(d.date) !== receipt.year) {
      throw new RangeError(`donation of ${d.date.toISOString()} is not in ${receipt.year}`);
    }
    sum += d.amountCents;
  }
  if (sum !== receipt.totalCents) throw new RangeError(`total ${receipt.totalCents} is not the sum of the donations (${sum})`);
  if (Number.isNaN(receipt.issuedAt.getTime())) throw new RangeError("invalid issue date");
}

function addressItems(address: PostalAddress, size = 9.5): TextItem[] {
  return [
    ...address.addressLines.filter((l) => l.trim() !== "").map((text) => ({ text, size })),
    { text: `${address.postalCode} ${address.city}`.trim(), size },
    { text: address.country, size },
  ];
}

function labelled(label: string, value: string, gap = 7): TextItem[] {
  return [
    { text: label, size: 7.5, color: COLORS.muted, gap },
    { text: value, size: 9.5, gap: 1 },
  ];
}

/** Two boxes side by side, as tall as the taller one. */
function drawParties(doc: PDFKit.PDFDocument, receipt: TaxReceipt): void {
  const { ngo, donor } = receipt;
  const gutter = 14;
  const boxWidth = (contentWidth(doc) - gutter) / 2;
  const inner = boxWidth - 24;
  const left: TextItem[] = [
    { text: "BÉNÉFICIAIRE DES VERSEMENTS", font: BOLD, size: 7.5, color: COLORS.brand },
    { text: ngo.legalName, font: BOLD, size: 10.5, gap: 6 },
    ...(ngo.name !== ngo.legalName ? [{ text: ngo.name, size: 9, color: COLORS.muted, gap: 1 }] : []),
    ...(ngo.registrationNumber ? [{ text: ngo.registrationNumber, size: 8, color: COLORS.muted, gap: 1 }] : []),
    { text: "", size: 3 },
    ...addressItems(ngo.address),
    ...labelled("Objet", ngo.purpose),
    ...labelled("Statut", ngo.legalStatus),
  ];
  const right: TextItem[] = [
    { text: "DONATEUR", font: BOLD, size: 7.5, color: COLORS.brand },
    { text: `${donor.firstName} ${donor.lastName.toLocaleUpperCase("fr-FR")}`, font: BOLD, size: 10.5, gap: 6 },
    { text: "", size: 3 },
    ...addressItems(donor),
  ];
  const height = 24 + Math.max(measureItems(doc, left, inner), measureItems(doc, right, inner));
  ensureSpace(doc, height + 16);
  const y = doc.y;
  for (const [i, items] of [left, right].entries()) {
    const x = MARGIN + i * (boxWidth + gutter);
    doc.save().roundedRect(x, y, boxWidth, height, 4).lineWidth(0.7).strokeColor(COLORS.rule).stroke().restore();
    drawItems(doc, items, x + 12, y + 12, inner);
  }
  doc.x = MARGIN;
  doc.y = y + height + 16;
}

/** The tinted box with the amount in figures and in words. */
function drawAmount(doc: PDFKit.PDFDocument, receipt: TaxReceipt, euroSign: boolean): void {
  const width = contentWidth(doc);
  doc.font(FONT).fontSize(9.5).fillColor(COLORS.ink);
  const intro = winAnsi(
    "Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction d'impôt, la somme de :",
  );
  ensureSpace(doc, 120);
  doc.text(intro, MARGIN, doc.y, { width, lineGap: 1.5 });
  doc.y += 6;
  const figuresWidth = 165;
  const wordsWidth = width - figuresWidth - 36;
  const figures: TextItem[] = [
    { text: "MONTANT", font: BOLD, size: 7.5, color: COLORS.brand },
    { text: formatEuros(receipt.totalCents, "fr", euroSign), font: BOLD, size: 19, gap: 5 },
  ];
  const words: TextItem[] = [
    { text: "SOMME EN TOUTES LETTRES", font: BOLD, size: 7.5, color: COLORS.brand },
    { text: amountInFrenchWords(receipt.totalCents), font: ITALIC, size: 11, gap: 6 },
  ];
  const height = 26 + Math.max(measureItems(doc, figures, figuresWidth), measureItems(doc, words, wordsWidth));
  const y = doc.y;
  doc.save().roundedRect(MARGIN, y, width, height, 4).fill(COLORS.brandLight).restore();
  doc.save().rect(MARGIN, y, 4, height).fill(COLORS.brand).restore();
  drawItems(doc, figures, MARGIN + 16, y + 13, figuresWidth);
  doc.save().moveTo(MARGIN + figuresWidth + 18, y + 12).lineTo(MARGIN + figuresWidth + 18, y + height - 12)
    .lineWidth(0.6).strokeColor(COLORS.rule).stroke().restore();
  drawItems(doc, words, MARGIN + figuresWidth + 30, y + 13, wordsWidth);
  doc.x = MARGIN;
  doc.y = y + height + 14;
}

function drawPayments(doc: PDFKit.PDFDocument, receipt: TaxReceipt, euroSign: boolean): void {
  const donations = [...receipt.donations].sort((a, b) => a.date.getTime() - b.date.getTime());
  const [only] = donations;
  if (donations.length === 1 && only) {
    sectionTitle(doc, "Versement");
    const fields: Array<[string, string]> = [
      ["Date du versement", formatDate(only.date, "fr", "long")],
      ["Forme du don", only.form],
      ["Nature du don", only.nature],
      ["Mode de versement", only.method],
    ];
    const width = contentWidth(doc) / fields.length;
    const height = Math.max(...fields.map(([l, v]) => measureItems(doc, labelled(l, v, 0), width - 10)));
    ensureSpace(doc, height);
    const y = doc.y;
    fields.forEach(([label, value], i) => drawItems(doc, labelled(label, value, 0), MARGIN + i * width, y, width - 10));
    doc.x = MARGIN;
    doc.y = y + height + 14;
    return;
  }
  const first = donations[0];
  const last = donations[donations.length - 1];
  sectionTitle(doc, `Versements (${donations.length})`);
  if (first && last) {
    doc.font(FONT).fontSize(9).fillColor(COLORS.muted).text(
      winAnsi(`Dates des versements : du ${formatDate(first.date, "fr", "long")} au ${formatDate(last.date, "fr", "long")}.`),
      MARGIN, doc.y, { width: contentWidth(doc) },
    );
    doc.y += 6;
  }
  drawTable(doc, {
    columns: [
      { header: "Date du versement", weight: 1.15 },
      { header: "Forme du don", weight: 1.1 },
      { header: "Nature du don", weight: 0.95 },
      { header: "Mode de versement", weight: 1.5 },
      { header: "Montant", weight: 1, align: "right" },
    ],
    rows: donations.map((d) => [formatDate(d.date, "fr", "short"), d.form, d.nature, d.method, formatEuros(d.amountCents, "fr", euroSign)]),
    total: ["Total", "", "", "", formatEuros(receipt.totalCents, "fr", euroSign)],
  });
  doc.y += 14;
}

function drawCertificationAndSignature(doc: PDFKit.PDFDocument, receipt: TaxReceipt): void {
  const width = contentWidth(doc);
  const statement: TextItem[] = [{ text: TAX_RECEIPT_CERTIFICATION, font: BOLD, size: 9.5, color: COLORS.brandDark }];
  const statementHeight = measureItems(doc, statement, width - 32) + 20;
  ensureSpace(doc, statementHeight + 92);
  let y = doc.y;
  doc.save().roundedRect(MARGIN, y, width, statementHeight, 4).lineWidth(0.8).strokeColor(COLORS.brand).stroke().restore();
  drawItems(doc, statement, MARGIN + 16, y + 10, width - 32);
  y += statementHeight + 18;

  const place = receipt.placeOfIssue ?? receipt.ngo.address.city;
  drawItems(doc, [{ text: `Fait à ${place}, le ${formatDate(receipt.issuedAt, "fr", "long")}`, size: 10 }], MARGIN, y, width / 2 - 10);
  const signX = MARGIN + width / 2 + 30;
  const signWidth = width / 2 - 30;
  drawItems(doc, [{ text: "Date et signature", size: 7.5, color: COLORS.muted }], signX, y, signWidth);
  const lineY = y + 42;
  doc.save().moveTo(signX, lineY).lineTo(signX + signWidth, lineY).lineWidth(0.7).strokeColor(COLORS.ink).stroke().restore();
  const end = drawItems(doc, [
    { text: receipt.signatory.name, font: BOLD, size: 10 },
    { text: receipt.signatory.title, size: 8.5, color: COLORS.muted, gap: 1 },
  ], signX, lineY + 6, signWidth);
  doc.x = MARGIN;
  doc.y = end + 10;
}

/** The sentence a replacement receipt prints (tests and mails use it too). */
export function replacesNotice(replaces: NonNullable<TaxReceipt["replaces"]>): string {
  return `Annule et remplace le reçu n° ${replaces.number} du ${formatDate(replaces.issuedAt, "fr", "long")}.`;
}

/** The mention a receipt prints when sponsors matched the donations: their match is theirs, not in the amount certified. */
export function sponsorMatchesNotice(matches: NonNullable<TaxReceipt["sponsorMatches"]>, euroSign = true): string {
  const list = matches.map((m) => `${m.sponsor} (${formatEuros(m.matchedCents, "fr", euroSign)})`).join(", ");
  return `Ces dons ont été abondés par ${list}. Un abondement est le don du mécène, versé par lui directement à l'organisme : ` +
    "il n'est pas compris dans la somme attestée ci-dessus, qui est celle des seuls dons du donateur.";
}

/** The stamp a cancelled receipt is re-printed with. */
export function cancelledNotice(c: TaxReceiptCancellation): string {
  const why = c.reason === "dispute_lost" ? "à la suite d'une contestation bancaire perdue" : "à la suite d'un remboursement";
  return `REÇU ANNULÉ le ${formatDate(c.cancelledAt, "fr", "long")} ${why}. ` +
    (c.replacedBy ? `Il est remplacé par le reçu n° ${c.replacedBy}.` : "Aucun don ne reste à attester : il n'est pas remplacé.") +
    " Ce reçu ne peut plus être utilisé pour une réduction d'impôt.";
}

/** A framed notice under the title: a replacement (brand colours) or a cancellation (red). */
function drawNotice(doc: PDFKit.PDFDocument, text: string, danger: boolean): void {
  const width = contentWidth(doc);
  const items: TextItem[] = [{ text, font: BOLD, size: danger ? 11 : 10, color: danger ? "#B42318" : COLORS.brandDark }];
  const height = measureItems(doc, items, width - 32) + 20;
  ensureSpace(doc, height + 12);
  const y = doc.y;
  doc.save().roundedRect(MARGIN, y, width, height, 4).lineWidth(danger ? 1.6 : 0.9).strokeColor(danger ? "#B42318" : COLORS.brand).stroke().restore();
  drawItems(doc, items, MARGIN + 16, y + 10, width - 32);
  doc.x = MARGIN;
  doc.y = y + height + 12;
}

export async function renderTaxReceiptPdf(receipt: TaxReceipt, options: PdfRenderOptions = {}, cancellation: TaxReceiptCancellation | null = null): Promise<Buffer> {
  validateTaxReceipt(receipt);
  const doc = createDocument({
    title: `Reçu fiscal n° ${receipt.number}`,
    subject: TAX_RECEIPT_TITLE,
    author: receipt.ngo.legalName,
    createdAt: receipt.issuedAt,
    locale: "fr",
  }, options);
  doc.font(FONT);
  const euroSign = canDrawEuroSign(doc);
  drawHeaderBand(doc, {
    title: receipt.ngo.name,
    subtitle: receipt.ngo.legalStatus,
    rightLabel: "Reçu fiscal — numéro d'ordre",
    rightValue: receipt.number,
    rightNote: `Dons de l'année ${receipt.year} · Cerfa n° 11580`,
  });
  drawItems(doc, [
    { text: TAX_RECEIPT_TITLE, font: BOLD, size: 14 },
    { text: TAX_RECEIPT_ARTICLES, size: 9, color: COLORS.muted, gap: 3 },
  ], MARGIN, doc.y, contentWidth(doc));
  doc.y += 12;
  if (cancellation) drawNotice(doc, cancelledNotice(cancellation), true);
  if (receipt.replaces) drawNotice(doc, replacesNotice(receipt.replaces), false);
  drawParties(doc, receipt);
  drawAmount(doc, receipt, euroSign);
  drawPayments(doc, receipt, euroSign);
  if (receipt.sponsorMatches && receipt.sponsorMatches.length > 0) drawNotice(doc, sponsorMatchesNotice(receipt.sponsorMatches, euroSign), false);
  drawCertificationAndSignature(doc, receipt);
  drawFooters(
    doc,
    `Reçu fiscal n° ${receipt.number} émis le ${formatDate(receipt.issuedAt, "fr", "short")} par ${receipt.ngo.legalName}. ` +
      "Document à conserver : il justifie la réduction d'impôt sur le revenu prévue à l'article 200 du code général des impôts. " +
      "Établi avec Hameau.",
    "Page",
    `Reçu fiscal n° ${receipt.number} (suite)`,
  );
  return finish(doc);
}
