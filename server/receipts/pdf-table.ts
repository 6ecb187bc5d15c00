/**
 * A clean receipt table: tinted header row, zebra rows, optional bold total
 * row. Rows grow with wrapped text, and a row that does not fit starts a new
 * page where the header is drawn again.
 */
import { BOLD, COLORS, contentWidth, FONT, MARGIN, bottomLimit, printable, winAnsi } from "./pdf-layout.ts";

export interface TableColumn {
  header: string;
  /** Share of the table width (the shares are normalised). */
  weight: number;
  align?: "left" | "right" | "center";
}

export interface TableOptions {
  columns: readonly TableColumn[];
  rows: ReadonlyArray<readonly string[]>;
  /** Last row, bold, above a thicker rule: e.g. ["Total", "", "", "150,00 €"]. */
  total?: readonly string[];
  /** Second line of a cell, smaller and grey: same shape as rows (use "" for none). */
  notes?: ReadonlyArray<readonly string[]>;
}

const PAD_X = 6;
const PAD_Y = 5;
const BODY_SIZE = 9;
const NOTE_SIZE = 7.5;
const HEADER_SIZE = 8;

function columnWidths(columns: readonly TableColumn[], total: number): number[] {
  const sum = columns.reduce((s, c) => s + c.weight, 0);
  return columns.map((c) => (total * c.weight) / sum);
}

function cellHeight(doc: PDFKit.PDFDocument, text: string, note: string, width: number, font: string): number {
  const printed = printable(doc, text || " ", font);
  doc.fontSize(BODY_SIZE);
  let h = doc.heightOfString(printed.text, { width: width - 2 * PAD_X });
  if (note) {
    doc.font(FONT).fontSize(NOTE_SIZE);
    h += 1 + doc.heightOfString(winAnsi(note), { width: width - 2 * PAD_X });
  }
  return h + 2 * PAD_Y;
}

function drawHeader(doc: PDFKit.PDFDocument, columns: readonly TableColumn[], widths: number[]): void {
  const y = doc.y;
  const height = HEADER_SIZE + 2 * PAD_Y + 2;
  doc.save().rect(MARGIN, y, widths.reduce((a, b) => a + b, 0), height).fill(COLORS.brandLight).restore();
  let x = MARGIN;
  columns.forEach((column, i) => {
    const w = widths[i] ?? 0;
    doc.font(BOLD).fontSize(HEADER_SIZE).fillColor(COLORS.brandDark)
      .text(winAnsi(column.header), x + PAD_X, y + PAD_Y + 1, { width: w - 2 * PAD_X, align: column.align ?? "left", lineBreak: false });
    x += w;
  });
  doc.y = y + height;
}

function drawRow(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  widths: number[],
  cells: readonly string[],
  notes: readonly string[] | undefined,
  style: { font: string; fill?: string; height: number },
): void {
  const y = doc.y;
  const tableWidth = widths.reduce((a, b) => a + b, 0);
  if (style.fill) doc.save().rect(MARGIN, y, tableWidth, style.height).fill(style.fill).restore();
  let x = MARGIN;
  columns.forEach((column, i) => {
    const w = widths[i] ?? 0;
    const options = { width: w - 2 * PAD_X, align: column.align ?? "left" } as const;
    const { text } = printable(doc, cells[i] ?? "", style.font);
    doc.fontSize(BODY_SIZE).fillColor(COLORS.ink);
    doc.text(text, x + PAD_X, y + PAD_Y, options);
    const note = notes?.[i] ?? "";
    if (note) {
      const textHeight = doc.heightOfString(text || " ", options);
      doc.font(FONT).fontSize(NOTE_SIZE).fillColor(COLORS.muted).text(winAnsi(note), x + PAD_X, y + PAD_Y + textHeight + 1, options);
    }
    x += w;
  });
  doc.y = y + style.height;
}

function rule(doc: PDFKit.PDFDocument, width: number, weight: number, color: string): void {
  doc.save().moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(weight).strokeColor(color).stroke().restore();
}

export function drawTable(doc: PDFKit.PDFDocument, table: TableOptions): void {
  const tableWidth = contentWidth(doc);
  const widths = columnWidths(table.columns, tableWidth);
  const headerHeight = HEADER_SIZE + 2 * PAD_Y + 2;
  const rowHeight = (cells: readonly string[], notes: readonly string[] | undefined, font: string) =>
    Math.max(...table.columns.map((_, i) => cellHeight(doc, cells[i] ?? "", notes?.[i] ?? "", widths[i] ?? 0, font)));

  const firstHeight = table.rows[0] ? rowHeight(table.rows[0], table.notes?.[0], FONT) : 0;
  if (doc.y + headerHeight + firstHeight > bottomLimit(doc)) doc.addPage();
  drawHeader(doc, table.columns, widths);
  table.rows.forEach((cells, index) => {
    const notes = table.notes?.[index];
    const height = rowHeight(cells, notes, FONT);
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      drawHeader(doc, table.columns, widths);
    }
    drawRow(doc, table.columns, widths, cells, notes, { font: FONT, height, ...(index % 2 === 1 ? { fill: COLORS.zebra } : {}) });
    rule(doc, tableWidth, 0.4, COLORS.rule);
  });
  if (table.total) {
    const height = rowHeight(table.total, undefined, BOLD);
    if (doc.y + height > bottomLimit(doc)) doc.addPage();
    rule(doc, tableWidth, 1.2, COLORS.brand);
    drawRow(doc, table.columns, widths, table.total, undefined, { font: BOLD, height });
  }
  doc.x = MARGIN;
}
