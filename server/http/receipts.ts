/**
 * Receipts API: a payment receipt per paid order, "my donations" (every
 * order of the caller, never anyone else's), the donor's identity for tax
 * receipts, and annual French tax receipts per NGO (PDF; a cancelled one is
 * re-printed stamped cancelled).
 */
import express, { type Router } from "express";
import { eq } from "drizzle-orm";
import { DonorProfileRequest, TaxReceiptRequest, type DonorProfile, type TaxReceiptSummary } from "../../shared/api.ts";
import type { Db } from "../db/connect.ts";
import { donorProfiles } from "../db/schema.ts";
import { renderDonationReceiptPdf, renderTaxReceiptPdf } from "../receipts/tax-receipt-pdf.ts";
import type { MyDonationResponse, MyDonationsResponse } from "../../shared/my-donations.ts";
import { myDonations } from "../services/my-donations.ts";
import { donationReceipt, parisYear, storedTaxReceipt } from "../services/receipts.ts";
import { issueTaxReceipt, taxReceiptSummary } from "../services/tax-receipts.ts";
import { me, requirePlayer } from "./auth.ts";
import { HttpError, fromZod, idParam } from "./errors.ts";

function sendPdf(res: express.Response, pdf: Buffer, filename: string): void {
  res.set({ "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" });
  res.send(pdf);
}

export function receiptsRouter(db: Db, clock: () => number = Date.now): Router {
  const router = express.Router();
  const auth = requirePlayer(db);
  const now = () => new Date(clock());

  router.get("/api/me/donations", auth, async (req, res) => {
    const body: MyDonationsResponse = await myDonations(db, me(req).player.id);
    res.set("cache-control", "private, no-store").json(body);
  });

  router.get("/api/me/donations/:orderId", auth, async (req, res) => {
    const found = await myDonations(db, me(req).player.id, idParam(req.params.orderId, "No such order"));
    const body: MyDonationResponse = { donation: found.donations[0]! };
    res.set("cache-control", "private, no-store").json(body);
  });

  router.get("/api/orders/:orderId/receipt.pdf", auth, async (req, res) => {
    const locale = req.query.lang === "en" ? "en" : "fr";
    const receipt = await donationReceipt(db, me(req).player.id, idParam(req.params.orderId), locale);
    sendPdf(res, await renderDonationReceiptPdf(receipt), `hameau-${locale === "fr" ? "recu" : "receipt"}-${receipt.orderId.slice(0, 8)}.pdf`);
  });

  router.get("/api/me/donor", auth, async (req, res) => {
    const [row] = await db.select().from(donorProfiles).where(eq(donorProfiles.playerId, me(req).player.id));
    const body: DonorProfile | null = row
      ? { firstName: row.firstName, lastName: row.lastName, addressLines: row.addressLines, postalCode: row.postalCode, city: row.city, country: row.country }
      : null;
    res.json({ donor: body });
  });

  router.put("/api/me/donor", auth, async (req, res) => {
    const parsed = DonorProfileRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const values = { ...parsed.data, playerId: me(req).player.id, updatedAt: new Date() };
    await db.insert(donorProfiles).values(values).onConflictDoUpdate({ target: donorProfiles.playerId, set: values });
    res.json({ donor: parsed.data });
  });

  router.get("/api/tax-receipts", auth, async (req, res) => {
    const year = req.query.year === undefined ? parisYear(now()) - 1 : Number(req.query.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new HttpError(400, "bad_request", "year must be a year");
    const body: TaxReceiptSummary = { year, ngos: await taxReceiptSummary(db, me(req).player.id, year, now()) };
    res.json(body);
  });

  router.post("/api/tax-receipts", auth, async (req, res) => {
    const parsed = TaxReceiptRequest.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const issued = await issueTaxReceipt(db, me(req).player.id, parsed.data.ngoId, parsed.data.year, now());
    res.status(issued.created ? 201 : 200).json({ id: issued.id, number: issued.number, totalCents: issued.content.totalCents });
  });

  router.get("/api/tax-receipts/:receiptId/pdf", auth, async (req, res) => {
    const { receipt, cancellation } = await storedTaxReceipt(db, me(req).player.id, idParam(req.params.receiptId));
    sendPdf(res, await renderTaxReceiptPdf(receipt, {}, cancellation), `recu-fiscal-${receipt.number}${cancellation ? "-annule" : ""}.pdf`);
  });

  return router;
}
