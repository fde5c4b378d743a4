-- Issue 26: every state-changing user action is limited per user across replicas, so the user-action view also
-- shows and accepts the keys of item reconnections ('reconnect:') and removals of items and of the user ('removal:').
-- Still only user-action keys (WITH CHECK OPTION): the client-wide Plaid budget stays out of the user API's reach.
CREATE OR REPLACE VIEW user_action_buckets AS
    SELECT id, state, expires_at FROM plaid_rate_buckets
    WHERE id LIKE 'force-sync:%' OR id LIKE 'link-token:%' OR id LIKE 'exchange:%'
        OR id LIKE 'reconnect:%' OR id LIKE 'removal:%'
    WITH CHECK OPTION;
