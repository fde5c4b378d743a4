-- A bad day: permanent item errors, institution outages retried item by item, windows that shrink, links that fail
-- after Plaid already billed the item.

-- BROKEN: Plaid answered a permanent code for the item (ITEM_NOT_FOUND, INVALID_ACCESS_TOKEN,
-- INSTITUTION_NO_LONGER_SUPPORTED). Sweeps skip it; operators see it among the items needing attention.
ALTER TABLE plaid_items DROP CONSTRAINT plaid_items_status_check;
ALTER TABLE plaid_items ADD CONSTRAINT plaid_items_status_check
    CHECK (status IN ('ACTIVE', 'NEEDS_USER', 'REVOKED', 'REMOVED', 'BROKEN'));

-- Items whose last sync of a job failed for a transient reason (institution down or rate-limiting, Plaid errors),
-- retried by follow-up runs of just those items. due_at NULL: the backoff is used up; the next sweep retries it.
CREATE TABLE sync_item_retries (
    job_name         text NOT NULL,
    item_id          text NOT NULL,
    institution_id   text,
    attempts         integer NOT NULL,
    error_code       text,
    first_failed_at  timestamptz NOT NULL DEFAULT now(),
    last_failed_at   timestamptz NOT NULL DEFAULT now(),
    due_at           timestamptz,
    launched_at      timestamptz,
    PRIMARY KEY (job_name, item_id)
);

CREATE INDEX idx_sync_item_retries_due ON sync_item_retries (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX idx_sync_item_retries_item ON sync_item_retries (item_id);

-- A transactions window that came back empty, or shrank by more than the allowed share, while rows were stored:
-- the rows stay, and the ids that answer would have deleted wait for a second fetch that agrees.
ALTER TABLE user_investment_accounts
    ADD COLUMN transactions_suspect_since timestamptz,
    ADD COLUMN transactions_suspect_missing text[];

-- A link whose exchange succeeded but whose storing failed: the new item's token, encrypted, so that a retry of the
-- same public token finishes it instead of losing an item Plaid bills for.
ALTER TABLE plaid_public_token_exchanges
    ADD COLUMN exchanged_item_id text,
    ADD COLUMN access_token_ciphertext bytea,
    ADD COLUMN access_token_key_id text,
    ADD COLUMN link_failed_at timestamptz,
    ADD COLUMN link_failure text;
