/**
 * The ledger's invariants about the money sent to the NGOs' own Stripe accounts
 * (see ngo-ledger.ts for the accounts), checked by ledger-check.ts.
 */

/** Per order and NGO: what the donation owes the NGO, and what the ledger transferred and reversed. */
const MOVED = `
  with shares as (
    select d.order_id, split_part(e.account, ':', 3) as ngo_id, -sum(e.amount_cents)::bigint as share
    from ledger_transactions d join ledger_entries e on e.transaction_id = d.id
    where d.kind = 'donation' and e.account like 'liability:ngo:%' group by 1, 2
  ), moved as (
    select t.order_id, substr(e.account, length('liability:ngo-transferred:') + 1) as ngo_id,
      coalesce(sum(e.amount_cents) filter (where t.kind = 'transfer'), 0)::bigint as transferred,
      coalesce(-sum(e.amount_cents) filter (where t.kind = 'transfer_reversal'), 0)::bigint as reversed
    from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
    where e.account like 'liability:ngo-transferred:%' group by 1, 2
  )`;

export function transferRules(graceMs: number): Array<{ rule: string; query: string }> {
  const past = `now() - interval '${graceMs} milliseconds'`;
  return [
    {
      rule: "transfers to an NGO for an order never exceed the NGO's share of it",
      query: `${MOVED} select m.order_id, m.ngo_id, m.transferred, coalesce(s.share, 0) as share from moved m
              left join shares s on s.order_id = m.order_id and s.ngo_id = m.ngo_id where m.transferred > coalesce(s.share, 0)`,
    },
    {
      rule: "reversals never exceed the transfers they reverse",
      query: `${MOVED} select order_id, ngo_id, transferred, reversed from moved where reversed > transferred`,
    },
    {
      rule: "every transfer or reversal made is booked once, and every one booked was made",
      query: `select coalesce(n.obligation_key, t.source_key) as obligation, n.status, n.amount_cents, t.id as ledger_transaction
              from (select * from ngo_transfers where status = 'done') n
              full join (select * from ledger_transactions where kind in ('transfer', 'transfer_reversal')) t on t.source_key = n.obligation_key
              where n.id is null or t.id is null
                 or n.amount_cents <> (select abs(sum(e.amount_cents)) from ledger_entries e where e.transaction_id = t.id and e.account = 'asset:stripe-clearing')`,
    },
    {
      rule: "every paid order sent to the NGOs' accounts has each NGO's transfer made (past a grace period)",
      query: `${MOVED} select o.id as order_id, s.ngo_id, s.share, n.status from orders o join shares s on s.order_id = o.id
              left join ngo_transfers n on n.order_id = o.id and n.ngo_id::text = s.ngo_id and n.kind = 'transfer'
              where o.status = 'paid' and o.charge_mode in ('destination', 'separate')
                -- a transfer owed counts from when it was owed (paid_at is Stripe's charge time, which can be older)
                and coalesce(n.created_at, o.paid_at) < ${past}
                and (n.id is null or n.status <> 'done' or n.amount_cents <> s.share)`,
    },
    {
      rule: "no transfer reversal owed stays not made (past a grace period)",
      query: `select id, obligation_key, attempts, last_error from ngo_transfers
              where kind = 'transfer_reversal' and status = 'pending' and created_at < ${past}`,
    },
    {
      rule: "the memo accounts of the NGOs' Stripe accounts stay balanced, and payouts touch nothing else",
      query: `select t.id, t.kind, t.source_key,
                coalesce(sum(e.amount_cents) filter (where e.account like 'ngo-account:%'), 0)::bigint as memo,
                count(*) filter (where e.account not like 'ngo-account:%')::int as other_entries
              from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
              group by t.id having coalesce(sum(e.amount_cents) filter (where e.account like 'ngo-account:%'), 0) <> 0
                 or (t.kind = 'payout' and count(*) filter (where e.account not like 'ngo-account:%') > 0)`,
    },
  ];
}
