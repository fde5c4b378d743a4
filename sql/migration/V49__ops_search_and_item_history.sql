-- The operator at 3 AM (issue 28): find an item by id, user or institution, tell its story, and open an execution's
-- items. Every read is one page through an index at 150,000 items. Built in the migration's transaction; on a large
-- database build them beforehand with CREATE INDEX CONCURRENTLY (same names and definitions) and IF NOT EXISTS makes
-- this a no-op.

-- /ops/search: prefixes of item ids, institution ids and institution names (case-insensitive), whatever the
-- database's collation: a "C" collation index serves LIKE 'prefix%' and its order.
CREATE INDEX IF NOT EXISTS idx_plaid_items_item_id_prefix ON plaid_items (item_id COLLATE "C");
CREATE INDEX IF NOT EXISTS idx_plaid_items_institution_id_prefix ON plaid_items (institution_id COLLATE "C", id);
CREATE INDEX IF NOT EXISTS idx_plaid_items_institution_name_prefix
    ON plaid_items ((lower(institution_name)) COLLATE "C", id);

-- An item's status changes, written by items/ItemStatusChanges in the transaction that changes the status. Kept as
-- long as the item: it goes with it.
CREATE TABLE item_status_history (
    id          bigserial PRIMARY KEY,
    item_id     text NOT NULL REFERENCES plaid_items (item_id) ON DELETE CASCADE,
    from_status text,
    to_status   text NOT NULL,
    reason      text,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_item_status_history_item ON item_status_history (item_id, changed_at DESC, id DESC);

-- An item's timeline: the runs asked for it or its user (scope ITEM:<id> or USER:<uuid>), newest first.
CREATE INDEX IF NOT EXISTS idx_sync_run_requests_scope ON sync_run_requests (scope_key, requested_at DESC);

-- An execution's page: the requests it served and how each item ended.
CREATE INDEX IF NOT EXISTS idx_sync_run_requests_execution ON sync_run_requests (job_execution_id)
    WHERE job_execution_id IS NOT NULL;

-- An item's timeline: its reconciliation breaks, newest first.
CREATE INDEX IF NOT EXISTS idx_reconciliation_breaks_item ON reconciliation_breaks (item_id, detected_at DESC);
