-- Daily holdings history: one row per investment account and market day, holding that day's positions as parallel
-- arrays (security keys, quantities, institution values) and the account's total value per currency. The holdings
-- writer upserts the row whenever it replaces the account's holdings, so the last write of a day wins. Accounts and
-- securities are referenced by integer keys, not Plaid's 37-character ids: a row is then about a third of the size.
-- Partitioned by month on the day: a month is one table, dropped or detached whole (README: "How big a year is").
CREATE TABLE history_securities (
    security_key integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    security_id  text NOT NULL UNIQUE
);

CREATE TABLE holdings_history (
    account_key        bigint NOT NULL REFERENCES user_investment_accounts (id) ON DELETE CASCADE,
    day                date NOT NULL,
    user_id            uuid NOT NULL,
    total_currencies   text[] NOT NULL,
    total_values       numeric[] NOT NULL,
    security_keys      integer[] NOT NULL,
    quantities         numeric[] NOT NULL,
    institution_values numeric[] NOT NULL,
    fetched_at         timestamptz NOT NULL,
    PRIMARY KEY (account_key, day)
) PARTITION BY RANGE (day);

CREATE INDEX idx_holdings_history_user_day ON holdings_history (user_id, day);

-- Monthly partitions from 2025 to the end of 2027; the engine creates the months ahead of today on start and daily
-- (HoldingsHistoryPartitions). The default partition only catches days outside them, and is meant to stay empty.
DO $$
DECLARE
    month date := DATE '2025-01-01';
BEGIN
    WHILE month < DATE '2028-01-01' LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF holdings_history FOR VALUES FROM (%L) TO (%L)',
            'holdings_history_' || to_char(month, 'YYYY_MM'), month, (month + INTERVAL '1 month')::date);
        month := (month + INTERVAL '1 month')::date;
    END LOOP;
END
$$;

CREATE TABLE holdings_history_default PARTITION OF holdings_history DEFAULT;

-- Reconciliation: a security whose quantity change between two daily snapshots of an account differs from the sum
-- of the quantities of the account's transactions dated between them. Rewritten per account on every check.
CREATE TABLE reconciliation_breaks (
    account_id            text NOT NULL REFERENCES user_investment_accounts (account_id) ON DELETE CASCADE,
    security_id           text NOT NULL,
    from_day              date NOT NULL,
    to_day                date NOT NULL,
    user_id               uuid NOT NULL,
    item_id               text NOT NULL,
    holdings_change       numeric NOT NULL,
    transactions_quantity numeric NOT NULL,
    difference            numeric NOT NULL,
    detected_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, security_id, from_day, to_day)
);

CREATE INDEX idx_reconciliation_breaks_detected ON reconciliation_breaks (detected_at DESC);

-- When each account was last checked, and through which snapshot day its transactions covered the check.
CREATE TABLE reconciliation_checks (
    account_id      text PRIMARY KEY REFERENCES user_investment_accounts (account_id) ON DELETE CASCADE,
    checked_at      timestamptz NOT NULL,
    checked_through date,
    breaks          integer NOT NULL
);

GRANT SELECT ON history_securities, holdings_history, reconciliation_breaks, reconciliation_checks TO plaidsync_user_scope;

ALTER TABLE holdings_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE reconciliation_breaks ENABLE ROW LEVEL SECURITY;
ALTER TABLE reconciliation_checks ENABLE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON holdings_history TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON reconciliation_breaks TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON reconciliation_checks TO PUBLIC USING (current_user <> 'plaidsync_user_scope');

CREATE POLICY own_rows ON holdings_history FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON reconciliation_breaks FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON reconciliation_checks FOR SELECT TO plaidsync_user_scope
    USING (account_id IN (SELECT account_id FROM user_investment_accounts
                          WHERE user_id = nullif(current_setting('app.user_id', true), '')::uuid));
