/**
 * The ledger's invariants about matching pledges (see matching.ts for the memo
 * accounts), checked by ledger-check.ts: a pledge never matches more than its
 * cap, what it matched is exactly the sum of its match entries, and the
 * sponsors' promises never touch the donors' money.
 */

const MEMO = `(e.account like 'pledge:%' or e.account like 'pledge-promised:%' or e.account like 'matched:%')`;

/** Per pledge: its promise, its match entries and its memo balance, from the ledger. */
const BOOKED = `
  with booked as (
    select p.id, p.cap_cents, p.matched_cents,
      (select count(*) from ledger_transactions t where t.kind = 'pledge' and t.source_key = 'pledge:' || p.id)::int as promises,
      coalesce((select -sum(e.amount_cents) from ledger_entries e where e.account = 'pledge-promised:' || p.id), 0)::bigint as promised,
      coalesce((select -sum(e.amount_cents) from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
                where e.account = 'pledge:' || p.id and t.kind in ('match', 'unmatch')), 0)::bigint as matched_in_ledger,
      coalesce((select sum(e.amount_cents) from ledger_entries e where e.account = 'pledge:' || p.id), 0)::bigint as left_in_ledger,
      coalesce((select sum(m.matched_cents) from pledge_matches m where m.pledge_id = p.id), 0)::bigint as matched_by_orders
    from campaign_pledges p
  )`;

export const matchingRules: Array<{ rule: string; query: string }> = [
  {
    rule: "every matching pledge's promise is booked once, for its cap",
    query: `${BOOKED} select id, cap_cents, promises, promised from booked where promises <> 1 or promised <> cap_cents`,
  },
  {
    rule: "a pledge never matches more than its cap, and what it matched is the sum of its match entries (and of its matches per order)",
    query: `${BOOKED} select id, cap_cents, matched_cents, matched_in_ledger, left_in_ledger, matched_by_orders from booked
            where matched_cents < 0 or matched_cents > cap_cents or matched_in_ledger <> matched_cents
               or left_in_ledger <> cap_cents - matched_cents or left_in_ledger < 0 or matched_by_orders <> matched_cents`,
  },
  {
    rule: "each campaign's matched account is what its pledges matched",
    query: `select c.id as campaign_id,
                   coalesce((select sum(p.matched_cents) from campaign_pledges p where p.campaign_id = c.id), 0)::bigint as pledges,
                   coalesce((select sum(e.amount_cents) from ledger_entries e where e.account = 'matched:' || c.id), 0)::bigint as ledger
            from campaigns c
            where coalesce((select sum(p.matched_cents) from campaign_pledges p where p.campaign_id = c.id), 0)
               <> coalesce((select sum(e.amount_cents) from ledger_entries e where e.account = 'matched:' || c.id), 0)`,
  },
  {
    rule: "pledges and matches stay on their memo accounts: never with the donors' money, and no money movement on them",
    query: `select t.id, t.kind, t.source_key, e.account from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
            where (t.kind in ('pledge', 'match', 'unmatch')) <> ${MEMO}`,
  },
  {
    rule: "a match is for a paid order, at most its pledge's ratio of the part of the donor's gift it covers, and never more than paid",
    query: `select m.pledge_id, m.order_id, o.status, m.base_cents, m.covered_cents, m.original_cents, m.matched_cents, p.ratio_percent
            from pledge_matches m join orders o on o.id = m.order_id join campaign_pledges p on p.id = m.pledge_id
            where o.status <> 'paid' or m.matched_cents > m.original_cents or m.covered_cents > m.base_cents
               or m.original_cents::bigint * 100 > m.covered_cents::bigint * p.ratio_percent
               or (select sum(x.covered_cents) from pledge_matches x where x.order_id = m.order_id and x.campaign_id = m.campaign_id) > m.base_cents`,
  },
];
