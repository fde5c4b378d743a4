-- Reconciliation that knows settlement: a pair of opposite breaks of one security that net to zero within
-- plaidsync.ledger.settlement-business-days is one timing difference (a trade in the closing holdings that Plaid dates
-- a day or more later), shown as such and never alerted; any other break alerts only from alerts_from on, once it is
-- older than that window and no later pair reversed it.
ALTER TABLE reconciliation_breaks
    ADD COLUMN kind text NOT NULL DEFAULT 'break' CHECK (kind IN ('break', 'timing_difference')),
    ADD COLUMN alerts_from date;

UPDATE reconciliation_breaks SET alerts_from = to_day;

CREATE INDEX idx_reconciliation_breaks_alerting ON reconciliation_breaks (alerts_from) WHERE kind = 'break';
