-- Stream tickets are limited per user like every other user action, so the user-action view also shows and
-- accepts their buckets' keys ('stream-ticket:').
CREATE OR REPLACE VIEW user_action_buckets AS
    SELECT id, state, expires_at FROM plaid_rate_buckets
    WHERE id LIKE 'force-sync:%' OR id LIKE 'link-token:%' OR id LIKE 'exchange:%'
        OR id LIKE 'reconnect:%' OR id LIKE 'removal:%' OR id LIKE 'stream-ticket:%'
    WITH CHECK OPTION;
