/**
 * Reports (every member, viewers included): donations by project, gift or
 * day over a period, as a table with its totals and a CSV download for the
 * accounts; and a year's figures for the French declaration of tax receipts.
 * Nothing here writes.
 */
import {
  type DonationFigures, type DonationReportResponse, type DonationReportRow, type ReportGrouping, type TaxReceiptDeclaration, dayIn,
} from "../../../shared/reports.ts";
import { errorText, locale, pick } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { downloadFile } from "../../net/download.ts";
import { h } from "../../ui/element.ts";
import { consoleApi, csvPaths } from "../api.ts";
import type { NgoContext, Screen } from "../context.ts";
import { ConsoleForm, read } from "../form.ts";
import { ct, euros, when } from "../i18n.ts";
import { button, empty, heading, table, type Column } from "../view.ts";
import { moneyCard } from "./money.ts";

export function reportsScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "reports" });
  // Report days are Paris days (shared/reports.ts): "today" is the day in Paris, whatever the browser's zone.
  const today = dayIn(new Date());
  const thisYear = Number(today.slice(0, 4));
  const query = { from: `${thisYear}-01-01`, to: today, by: "project" as ReportGrouping };
  let report: DonationReportResponse | null = null;
  let year = thisYear - 1;
  let declaration: TaxReceiptDeclaration | null = null;
  let declarationError: string | null = null;
  const money = moneyCard(ctx, () => render());

  const periodForm = new ConsoleForm({
    id: "report-form",
    fields: [[
      { name: "from", label: "report.from", kind: "date" },
      { name: "to", label: "report.to", kind: "date" },
      { name: "by", label: "report.by", kind: "select", choices: () => (["project", "gift", "day"] as const).map((b) => ({ value: b, label: ct(`report.by.${b}`) })) },
    ]],
    submit: "report.show",
    initial: { ...query },
    async send(values) {
      query.from = read.text(values.from);
      query.to = read.text(values.to);
      query.by = read.text(values.by) as ReportGrouping;
      report = await consoleApi.donations(ctx.token, ctx.ngo.id, query);
      render();
    },
  });

  const yearForm = new ConsoleForm({
    id: "tax-form",
    fields: [{ name: "year", label: "report.year", kind: "integer" }],
    submit: "report.show",
    initial: { year: String(year) },
    async send(values) {
      year = Number(read.text(values.year));
      await loadDeclaration(String(read.text(values.year)));
    },
  });

  async function loadDeclaration(yearText = String(year)): Promise<void> {
    try {
      declaration = await consoleApi.taxReceipts(ctx.token, ctx.ngo.id, Number(yearText));
      declarationError = null;
    } catch (err) {
      declaration = null;
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) throw err;
      declarationError = err instanceof ApiError ? err.code : "internal";
    }
    render();
  }

  async function download(path: string, name: string): Promise<void> {
    try {
      await downloadFile(ctx.token, path, name, "text/csv");
    } catch (err) {
      ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
    }
  }

  function render(): void {
    periodForm.render();
    yearForm.render();
    const lang = locale();
    root.replaceChildren(
      heading("nav.reports", [], ct("report.lead")),
      money.root(),
      h("section", { class: "c-card", id: "donations-report" }, [
        h("h3", { text: ct("report.donations") }),
        periodForm.root,
        report ? reportTable(report) : h("p", { class: "c-loading", text: ct("app.loading") }),
        report ? button(ct("report.csv"), () => void download(csvPaths.donations(ctx.ngo.id, { ...query, lang }), `donations-${query.from}-${query.to}.csv`), { id: "donations-csv" }) : null,
      ]),
      h("section", { class: "c-card", id: "tax-report" }, [
        h("h3", { text: ct("report.tax") }),
        h("p", { class: "c-lead", text: ct("report.taxLead") }),
        yearForm.root,
        declarationError ? h("p", { class: "c-problem", role: "alert", text: errorText(declarationError) }) : null,
        declaration ? declarationView(declaration) : null,
        declaration ? button(ct("report.csv"), () => void download(csvPaths.taxReceipts(ctx.ngo.id, declaration!.year, lang), `tax-receipts-${declaration!.year}.csv`), { id: "tax-csv" }) : null,
      ]),
    );
  }

  void (async () => {
    try {
      report = await consoleApi.donations(ctx.token, ctx.ngo.id, query);
    } catch (err) {
      periodForm.showError(err);
    }
    render();
    await loadDeclaration();
  })();
  render();
  return { root, render };
}

function reportTable(r: DonationReportResponse): HTMLElement {
  if (r.rows.length === 0) return empty("report.none");
  const first: Column<DonationReportRow> = r.by === "day"
    ? { label: "report.by.day", cell: (row) => when(row.day) }
    : r.by === "gift"
      ? { label: "report.by.gift", cell: (row) => (row.gift ? pick(row.gift.name) : ct("report.support")) }
      : { label: "report.by.project", cell: (row) => (row.project ? pick(row.project.name) : "—") };
  const figures: Array<Column<DonationFigures>> = [
    { label: "report.gross", cell: (f) => euros(f.grossCents), numeric: true },
    { label: "report.refunded", cell: (f) => euros(f.refundedCents), numeric: true },
    { label: "report.disputed", cell: (f) => euros(f.disputedCents), numeric: true },
    { label: "report.net", cell: (f) => euros(f.netCents), numeric: true },
    { label: "report.units", cell: (f) => String(f.units), numeric: true },
    { label: "report.orders", cell: (f) => String(f.orders), numeric: true },
  ];
  const extra: Array<Column<DonationReportRow>> = r.by === "gift" ? [{ label: "report.by.project", cell: (row) => (row.project ? pick(row.project.name) : "—") }] : [];
  return h("div", {}, [
    table("report-rows", [first, ...extra, ...figures], r.rows),
    h("h4", { text: ct("report.totals") }),
    table("report-totals", figures, r.totals),
  ]);
}

function declarationView(d: TaxReceiptDeclaration): HTMLElement {
  return h("dl", { class: "c-figures", id: "tax-figures" }, [
    h("div", {}, [h("dt", { text: ct("report.receipts") }), h("dd", { "data-figure": "receipts", text: String(d.receipts) })]),
    h("div", {}, [h("dt", { text: ct("report.total") }), h("dd", { "data-figure": "total", text: euros(d.totalCents, d.currency) })]),
    h("div", {}, [h("dt", { text: ct("report.donors") }), h("dd", { "data-figure": "donors", text: String(d.donors) })]),
    d.cancelled > 0 ? h("div", {}, [h("dt", { text: ct("report.cancelled") }), h("dd", { "data-figure": "cancelled", text: String(d.cancelled) })]) : null,
    d.numbers ? h("div", {}, [h("dt", { text: ct("report.numbers") }), h("dd", { text: `${d.numbers.first} → ${d.numbers.last}` })]) : null,
    d.numbers && d.numbers.missingSequenceNumbers.length > 0
      ? h("p", { class: "c-problem", text: ct("report.missing", { numbers: d.numbers.missingSequenceNumbers.join(", ") }) })
      : null,
  ]);
}
