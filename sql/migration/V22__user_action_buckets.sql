-- Table ownership (issue 17): plaid owns plaid_rate_buckets, the shared bucket4j state of Plaid's rate limits. The
-- user API counts its per-user limits (force-sync, link tokens, public-token exchanges) in the same table, so that they
-- hold across replicas; it reaches them only through this view, which plaid exports for them. The view shows and
-- accepts only the user-action keys (WITH CHECK OPTION): the user API can never read or overwrite the client-wide
-- Plaid budget. A simple view over one table is updatable, so bucket4j's SELECT ... FOR UPDATE, INSERT ... ON CONFLICT,
-- UPDATE and DELETE run on it as on the table, with the same plans.
CREATE VIEW user_action_buckets AS
    SELECT id, state, expires_at FROM plaid_rate_buckets
    WHERE id LIKE 'force-sync:%' OR id LIKE 'link-token:%' OR id LIKE 'exchange:%'
    WITH CHECK OPTION;
