-- Operator views at fleet scale (issue 15): every /ops list reads one page and a capped count through an index, and
-- deleting an item's or a user's rows finds each child row by index. Built in the migration's transaction; on a large
-- database build them beforehand with CREATE INDEX CONCURRENTLY (same names and definitions) and IF NOT EXISTS makes
-- this a no-op.

-- /ops/items/attention: items that need a person, longest in that state first. The predicate is the query's own.
CREATE INDEX IF NOT EXISTS idx_plaid_items_attention ON plaid_items (status_changed_at, id)
    WHERE (status IN ('NEEDS_USER', 'REVOKED', 'BROKEN')
           OR (status = 'ACTIVE' AND (consent_expiration_at IS NOT NULL OR pending_disconnect_at IS NOT NULL)));

-- /ops/items/unreadable-tokens: the key ids in use, found by skipping through this index, then the items of a key.
CREATE INDEX IF NOT EXISTS idx_plaid_items_token_key ON plaid_items (access_token_key_id, id) WHERE status <> 'REMOVED';

-- /ops/webhooks/events?status=… and /ops/webhooks/unknown-items: newest events of one status.
CREATE INDEX IF NOT EXISTS idx_webhook_events_status_created ON plaid_webhook_events (status, created_at DESC, id DESC);

-- /ops/webhooks/events (any status): newest first with the id as tie-breaker, one index walk with no sort.
CREATE INDEX IF NOT EXISTS idx_webhook_events_newest ON plaid_webhook_events (created_at DESC, id DESC);

-- /ops/audit: newest first with the id as tie-breaker.
CREATE INDEX IF NOT EXISTS idx_ops_audit_newest ON ops_audit (at DESC, id DESC);

-- Deleting a user cascades to the public tokens they exchanged.
CREATE INDEX IF NOT EXISTS idx_public_token_exchanges_user ON plaid_public_token_exchanges (user_id);
