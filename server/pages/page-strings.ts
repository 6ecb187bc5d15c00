/**
 * Every text of the public pages and their share cards, in French and
 * English. `{name}` placeholders are filled by `fill`; `count` picks the
 * singular or plural form.
 */
import type { Locale } from "../../shared/money.ts";

const fr = {
  brand: "Hameau",
  tagline: "Faites grandir un village, donnez pour de vrai",
  footer: "Hameau est un jeu de village libre pour les associations : chaque cadeau est un vrai don.",
  play: "Jouer à Hameau",
  languages: "Langue",
  notFoundTitle: "Page introuvable",
  notFoundText: "Cette page n’existe pas, ou elle n’est pas publique.",
  badRequestTitle: "Adresse invalide",
  backHome: "Retour à Hameau",
  byNgo: "par {ngo}",
  emergency: "Urgence",
  progress: "Avancement de la campagne",
  raisedOf: "{raised} collectés sur {goal}",
  percent: "{percent} %",
  donors: ["{n} donateur", "{n} donateurs"],
  matched: "dont {amount} doublés par un mécène",
  endsOn: "Se termine le {date}",
  daysLeft: ["plus que {n} jour", "plus que {n} jours"],
  lastDay: "dernier jour",
  startsOn: "Commence le {date}",
  endedOn: "Terminée le {date}",
  giveCampaign: "Donner pour cette campagne",
  campaignGifts: "Les cadeaux de la campagne",
  giftsOf: "Les cadeaux de {ngo}",
  ngoCampaigns: "Campagnes en cours",
  noCampaigns: "Aucune campagne en cours pour le moment.",
  noGifts: "Aucun cadeau à offrir pour le moment.",
  website: "Site web",
  giftImpact: "Ce que ce cadeau change",
  giftProject: "Projet : {project}",
  giveGift: "Offrir ce cadeau",
  notOnSale: "Ce cadeau n’est pas proposé en ce moment.",
  villageTitle: "Le village de {name}",
  villageIntro: "Un village public sur Hameau.",
  villageGifts: "Cadeaux reçus",
  villageDecorations: "Décorations",
  villageCrops: ["{n} culture pousse", "{n} cultures poussent"],
  villageEmpty: "Rien n’a encore été offert à ce village.",
  fromGiver: "de la part de {name}",
  count: "× {n}",
  giftsCount: ["{n} cadeau", "{n} cadeaux"],
} as const;

type Strings = { readonly [K in keyof typeof fr]: (typeof fr)[K] extends readonly string[] ? readonly [string, string] : string };

const en: Strings = {
  brand: "Hameau",
  tagline: "Grow a village, give for real",
  footer: "Hameau is an open-source village game for charities: every gift is a real donation.",
  play: "Play Hameau",
  languages: "Language",
  notFoundTitle: "Page not found",
  notFoundText: "This page does not exist, or it is not public.",
  badRequestTitle: "Invalid address",
  backHome: "Back to Hameau",
  byNgo: "by {ngo}",
  emergency: "Emergency",
  progress: "Campaign progress",
  raisedOf: "{raised} raised of {goal}",
  percent: "{percent}%",
  donors: ["{n} donor", "{n} donors"],
  matched: "including {amount} matched by a sponsor",
  endsOn: "Ends on {date}",
  daysLeft: ["{n} day left", "{n} days left"],
  lastDay: "last day",
  startsOn: "Starts on {date}",
  endedOn: "Ended on {date}",
  giveCampaign: "Give to this campaign",
  campaignGifts: "The gifts of this campaign",
  giftsOf: "Gifts from {ngo}",
  ngoCampaigns: "Campaigns under way",
  noCampaigns: "No campaign under way at the moment.",
  noGifts: "No gift on offer at the moment.",
  website: "Website",
  giftImpact: "What this gift changes",
  giftProject: "Project: {project}",
  giveGift: "Give this gift",
  notOnSale: "This gift is not on offer right now.",
  villageTitle: "{name}’s village",
  villageIntro: "A public village on Hameau.",
  villageGifts: "Gifts received",
  villageDecorations: "Decorations",
  villageCrops: ["{n} crop growing", "{n} crops growing"],
  villageEmpty: "Nothing has been given to this village yet.",
  fromGiver: "from {name}",
  count: "× {n}",
  giftsCount: ["{n} gift", "{n} gifts"],
};

export type PageStrings = Strings;
export type PluralKey = { [K in keyof Strings]: Strings[K] extends readonly [string, string] ? K : never }[keyof Strings];

export const PAGE_STRINGS: Readonly<Record<Locale, Strings>> = { fr, en };

export function stringsFor(locale: Locale): Strings {
  return PAGE_STRINGS[locale];
}

/** "label : value" in French, "label: value" in English. */
export function labelled(locale: Locale, label: string, value: string): string {
  return `${label}${locale === "fr" ? " : " : ": "}${value}`;
}

/** Fills `{name}` placeholders; unknown ones stay as written. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** The singular (1; and 0 in French) or plural form, filled with n. */
export function count(locale: Locale, forms: readonly [string, string], n: number, values: Record<string, string | number> = {}): string {
  const singular = locale === "fr" ? n <= 1 : n === 1;
  return fill(singular ? forms[0] : forms[1], { n: formatCount(locale, n), ...values });
}

export function formatCount(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB").format(n).replace(/\u202f|\u00a0/g, " ");
}

/** A day in Paris time ("12 décembre 2026", "12 December 2026"). */
export function formatDay(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "Europe/Paris" }).format(at);
}
