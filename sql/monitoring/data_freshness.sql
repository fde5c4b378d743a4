-- Users whose newest sync of a product is older than that product's threshold, with their error accounts
-- (the seed's query on this schema). Only ACTIVE items count; an item that never synced counts as stale.
-- Parameters: :holdingsMaxAgeSeconds, :transactionsMaxAgeSeconds, :balancesMaxAgeSeconds.
WITH per_user AS (
    SELECT i.user_id,
           max(i.holdings_synced_at)     AS holdings_last_sync,
           max(i.transactions_synced_at) AS transactions_last_sync,
           max(i.balances_synced_at)     AS balances_last_sync
    FROM plaid_items i
    WHERE i.status = 'ACTIVE'
    GROUP BY i.user_id
),
accounts AS (
    SELECT a.user_id,
           count(*) FILTER (WHERE a.is_active)                             AS account_count,
           count(*) FILTER (WHERE a.is_active AND a.sync_status = 'error') AS error_accounts
    FROM user_investment_accounts a
    JOIN plaid_items i ON i.item_id = a.item_id AND i.status = 'ACTIVE'
    GROUP BY a.user_id
)
SELECT u.user_id,
       p.product,
       p.last_sync,
       now() - p.last_sync                 AS time_since_sync,
       coalesce(a.account_count, 0)        AS account_count,
       coalesce(a.error_accounts, 0)       AS error_accounts
FROM per_user u
CROSS JOIN LATERAL (VALUES ('holdings', u.holdings_last_sync, :holdingsMaxAgeSeconds),
                           ('transactions', u.transactions_last_sync, :transactionsMaxAgeSeconds),
                           ('balances', u.balances_last_sync, :balancesMaxAgeSeconds)) AS p (product, last_sync, max_age_seconds)
LEFT JOIN accounts a ON a.user_id = u.user_id
WHERE p.last_sync IS NULL
   OR p.last_sync < now() - p.max_age_seconds * interval '1 second'
ORDER BY p.last_sync NULLS FIRST, u.user_id, p.product;
