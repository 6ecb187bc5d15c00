/**
 * The demo NGO and its catalog, seeded on start when SEED_DEMO is true (the
 * default). Idempotent: rows are matched by slug and never duplicated. Only
 * missing rows are added: once seeded, the NGO console is where the demo
 * NGO's settings and catalog change, and a restart never undoes that.
 *
 * In TEST MODE (no Stripe key) the demo NGO has a simulated connected Stripe
 * account that can take charges, so `npm start` shows a full shop. With real
 * keys it has no real account: a simulated one is taken off, and its gifts
 * stay out of the shop until an admin connects a real account.
 */
import { and, eq, like, sql } from "drizzle-orm";
import type { Db } from "./connect.ts";
import { gifts, ngos, projects } from "./schema.ts";
import { seedDemoNeighbour } from "./seed-neighbour.ts";

const NGO = {
  slug: "semences-solidaires",
  name: "Semences Solidaires (démo)",
  legalName: "Association Semences Solidaires — organisation de démonstration",
  purpose: "Soutenir l'agriculture familiale, l'accès à l'eau et l'éducation rurale (données de démonstration).",
  address: { addressLines: ["12 rue des Semailles"], postalCode: "69007", city: "Lyon", country: "France" },
  legalStatus: "Association loi 1901 reconnue d'intérêt général (démonstration)",
  registrationNumber: "RNA W000000000 (démo)",
  signatoryName: "Camille Martin",
  signatoryTitle: "Trésorière",
  receiptPrefix: "SEMSOL",
  // A fictional declaration, so a newcomer sees tax receipts work end to end.
  taxReceiptStatus: "interet_general" as const,
  taxEvidenceReference: "Rescrit fiscal n° DEMO-0000 (démonstration)",
  taxEvidenceDate: "2024-01-15",
  status: "approved" as const,
  contactName: "Camille Martin",
  contactEmail: "contact@semences-solidaires.example",
};

const PROJECTS = [
  { slug: "jardins-scolaires-senegal", nameFr: "Jardins scolaires au Sénégal", nameEn: "School gardens in Senegal", country: "SN" },
  { slug: "elevage-familial-burkina", nameFr: "Élevage familial au Burkina Faso", nameEn: "Family livestock in Burkina Faso", country: "BF" },
  { slug: "eau-potable-madagascar", nameFr: "Eau potable à Madagascar", nameEn: "Clean water in Madagascar", country: "MG" },
  { slug: "cooperatives-agricoles-togo", nameFr: "Coopératives agricoles au Togo", nameEn: "Farming cooperatives in Togo", country: "TG" },
] as const;

type ProjectSlug = (typeof PROJECTS)[number]["slug"];

const GIFTS: Array<{
  slug: string; project: ProjectSlug; sprite: string; priceCents: number;
  nameFr: string; nameEn: string; impactFr: string; impactEn: string;
}> = [
  { slug: "sachet-de-graines", project: "jardins-scolaires-senegal", sprite: "seed-bag", priceCents: 100,
    nameFr: "Sachet de graines", nameEn: "Bag of seeds",
    impactFr: "Des semences locales pour un mois de potager scolaire.", impactEn: "Local seeds for a month of a school vegetable garden." },
  { slug: "arrosoir", project: "jardins-scolaires-senegal", sprite: "watering-can", priceCents: 300,
    nameFr: "Plants et arrosoir", nameEn: "Seedlings and watering can",
    impactFr: "Un arrosoir et des plants pour une classe qui jardine.", impactEn: "A watering can and seedlings for a gardening class." },
  { slug: "kit-scolaire", project: "jardins-scolaires-senegal", sprite: "school-kit", priceCents: 800,
    nameFr: "Kit scolaire", nameEn: "School kit",
    impactFr: "Cahiers, manuels et crayons pour un élève pendant un an.", impactEn: "Notebooks, textbooks and pencils for one pupil for a year." },
  { slug: "arbre-fruitier", project: "cooperatives-agricoles-togo", sprite: "fruit-tree", priceCents: 1200,
    nameFr: "Arbre fruitier", nameEn: "Fruit tree",
    impactFr: "Un manguier greffé qui nourrira une famille pendant des années.", impactEn: "A grafted mango tree that will feed a family for years." },
  { slug: "poules", project: "elevage-familial-burkina", sprite: "chickens", priceCents: 1500,
    nameFr: "Trois poules", nameEn: "Three hens",
    impactFr: "Des œufs chaque jour et un petit revenu pour une famille.", impactEn: "Eggs every day and a small income for a family." },
  { slug: "chevre", project: "elevage-familial-burkina", sprite: "goat", priceCents: 3500,
    nameFr: "Une chèvre", nameEn: "A goat",
    impactFr: "Du lait pour les enfants et des chevreaux à partager.", impactEn: "Milk for the children and kids to share with neighbours." },
  { slug: "ruche", project: "cooperatives-agricoles-togo", sprite: "beehive", priceCents: 4000,
    nameFr: "Une ruche", nameEn: "A beehive",
    impactFr: "Une ruche et une formation d'apiculteur : miel et pollinisation.", impactEn: "A hive and beekeeper training: honey and pollination." },
  { slug: "vache", project: "elevage-familial-burkina", sprite: "cow", priceCents: 25000,
    nameFr: "Une vache", nameEn: "A cow",
    impactFr: "Une vache laitière partagée par une coopérative de femmes.", impactEn: "A dairy cow shared by a women's cooperative." },
  { slug: "puits", project: "eau-potable-madagascar", sprite: "well", priceCents: 15000,
    nameFr: "Part d'un puits", nameEn: "Share of a well",
    impactFr: "Un mètre de forage : de l'eau potable pour tout un village.", impactEn: "One metre of drilling: clean water for a whole village." },
  { slug: "tracteur", project: "cooperatives-agricoles-togo", sprite: "tractor", priceCents: 50000,
    nameFr: "Part de tracteur", nameEn: "Share of a tractor",
    impactFr: "Un motoculteur partagé par une coopérative de vingt familles.", impactEn: "A walking tractor shared by a cooperative of twenty families." },
];

/** The simulated account of the demo NGO in TEST MODE. */
export const DEMO_TEST_ACCOUNT_ID = "acct_test_local_demo_semsol";

/** `payments`: "test-checkout" (TEST MODE: the demo NGO gets its simulated account) or "live" (real keys). */
export async function seedDemo(db: Db, opts: { payments: "live" | "test-checkout" }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(ngos).values(NGO).onConflictDoNothing({ target: ngos.slug });
    const [ngo] = await tx.select({ id: ngos.id }).from(ngos).where(eq(ngos.slug, NGO.slug));
    if (!ngo) throw new Error("seed: the demo NGO is missing");
    if (opts.payments === "test-checkout") {
      await tx.update(ngos)
        .set({ stripeAccountId: DEMO_TEST_ACCOUNT_ID, stripeDetailsSubmitted: true, stripeChargesEnabled: true, stripePayoutsEnabled: true, stripeRequirementsDue: [] })
        .where(and(eq(ngos.id, ngo.id), sql`${ngos.stripeAccountId} is null`));
    } else {
      await tx.update(ngos)
        .set({ stripeAccountId: null, stripeDetailsSubmitted: false, stripeChargesEnabled: false, stripePayoutsEnabled: false, stripeRequirementsDue: [], stripeAccountUpdatedAt: null })
        .where(and(eq(ngos.id, ngo.id), like(ngos.stripeAccountId, "acct\\_test\\_local\\_%")));
    }
    const projectIds = new Map<string, string>();
    for (const p of PROJECTS) {
      await tx.insert(projects).values({ ...p, ngoId: ngo.id }).onConflictDoNothing({ target: projects.slug });
      const [row] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.slug, p.slug));
      if (!row) throw new Error(`seed: project ${p.slug} is missing`);
      projectIds.set(p.slug, row.id);
    }
    for (const [i, g] of GIFTS.entries()) {
      const { project, ...fields } = g;
      const values = { ...fields, ngoId: ngo.id, projectId: projectIds.get(project)!, sortOrder: i, currency: "EUR" };
      await tx.insert(gifts).values(values).onConflictDoNothing({ target: gifts.slug });
    }
  });
  await seedDemoNeighbour(db);
}
