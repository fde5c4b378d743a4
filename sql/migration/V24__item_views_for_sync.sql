-- Table ownership (issue 17): items owns plaid_items and user_investment_accounts. The sync jobs write them only
-- through items' ItemSyncMarkers and AccountSyncRecords, and read them in their own set-based SQL (the readers' pages
-- of the items in a run's scope and their count, the follow-up list's clean-up, the day's holdings history) through
-- these two views, which items exports for them with only the columns they read. Each is a simple view over one
-- table: the planner inlines it, so every statement keeps the plan it had on the table (the readers' pages still walk
-- idx_plaid_items_status). No grant is made: the user-scoped role cannot read them.
CREATE VIEW item_sync_state AS
    SELECT id, item_id, user_id, institution_id, status, access_token_key_id, access_token_ciphertext,
           holdings_synced_at, transactions_synced_at, transactions_full_synced_at, balances_synced_at
    FROM plaid_items;

CREATE VIEW investment_account_keys AS
    SELECT id AS account_key, account_id, item_id, user_id, last_synced
    FROM user_investment_accounts;
