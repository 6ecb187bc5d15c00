/**
 * The NGO console's reports, for members of the NGO with at least the viewer
 * role (anyone else: 404, as for every NGO console route):
 * - GET /api/ngos/:ngoId/reports/donations?from&to&by → JSON rows and totals
 * - GET /api/ngos/:ngoId/reports/donations.csv?from&to&by[&format][&lang]
 * - GET /api/ngos/:ngoId/reports/tax-receipts?year → the yearly declaration
 * - GET /api/ngos/:ngoId/reports/tax-receipts.csv?year[&format][&lang] → the
 *   receipts with the donors' names (printed on the receipts; viewers see them).
 * A bad query is a 400 with a message per field.
 */
import express, { type Response, type Router } from "express";
import { DonationReportQuery, TaxReceiptReportQuery } from "../../shared/reports.ts";
import type { Db } from "../db/connect.ts";
import { donationReportCsv, reportFileName, taxReceiptsCsv } from "../services/ngo-report-csv.ts";
import { donationReport, issuedReceipts, ngoSlug, taxReceiptDeclaration } from "../services/ngo-reports.ts";
import { requirePlayer } from "./auth.ts";
import { fromZod } from "./errors.ts";
import { ngoOf, requireNgoRole } from "./ngo-auth.ts";

function sendCsv(res: Response, body: string, fileName: string): void {
  res.set({
    "content-type": "text/csv; charset=utf-8; header=present",
    "content-disposition": `attachment; filename="${fileName}"`,
    "cache-control": "private, no-store",
  });
  res.send(Buffer.from(body, "utf8"));
}

export function ngoReportsRouter(db: Db): Router {
  const router = express.Router();
  const guard = [requirePlayer(db), requireNgoRole(db, "viewer")];

  const donationQuery = (query: unknown) => {
    const parsed = DonationReportQuery.safeParse(query);
    if (!parsed.success) throw fromZod(parsed.error, "query");
    return parsed.data;
  };
  const yearQuery = (query: unknown) => {
    const parsed = TaxReceiptReportQuery.safeParse(query);
    if (!parsed.success) throw fromZod(parsed.error, "query");
    return parsed.data;
  };

  router.get("/api/ngos/:ngoId/reports/donations", ...guard, async (req, res) => {
    const q = donationQuery(req.query);
    res.set("cache-control", "private, no-store").json(await donationReport(db, ngoOf(req).ngoId, q));
  });

  router.get("/api/ngos/:ngoId/reports/donations.csv", ...guard, async (req, res) => {
    const q = donationQuery(req.query);
    const { ngoId } = ngoOf(req);
    const report = await donationReport(db, ngoId, q);
    sendCsv(res, donationReportCsv(report, q.format, q.lang), reportFileName("donations", await ngoSlug(db, ngoId), q.lang, q));
  });

  router.get("/api/ngos/:ngoId/reports/tax-receipts", ...guard, async (req, res) => {
    const q = yearQuery(req.query);
    res.set("cache-control", "private, no-store").json(await taxReceiptDeclaration(db, ngoOf(req).ngoId, q.year));
  });

  router.get("/api/ngos/:ngoId/reports/tax-receipts.csv", ...guard, async (req, res) => {
    const q = yearQuery(req.query);
    const { ngoId } = ngoOf(req);
    const receipts = await issuedReceipts(db, ngoId, q.year);
    sendCsv(res, taxReceiptsCsv(receipts, q.format, q.lang), reportFileName("tax-receipts", await ngoSlug(db, ngoId), q.lang, { year: q.year }));
  });

  return router;
}
