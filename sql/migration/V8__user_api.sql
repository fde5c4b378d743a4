-- The user-facing API (issue 9).

-- Plaid answers INVALID_PUBLIC_TOKEN to a second exchange of the same public token, so the engine remembers which
-- item each public token became: posting it twice gives one item. Only a hash of the token is kept. A duplicate link
-- (same institution and account masks as an item the user already has) records the item it duplicated.
CREATE TABLE plaid_public_token_exchanges (
    public_token_sha256 text PRIMARY KEY,
    user_id             uuid NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
    item_id             text,
    duplicate_of        text,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- The masks of every account the item shared at link time (sorted), for duplicate detection before the first sync.
ALTER TABLE plaid_items ADD COLUMN account_masks text[];
CREATE INDEX idx_plaid_items_user_institution ON plaid_items (user_id, institution_id) WHERE status <> 'REMOVED';
