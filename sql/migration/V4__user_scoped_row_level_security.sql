-- User-facing reads run as plaidsync_user_scope, a role that owns nothing and cannot bypass row-level security,
-- with app.user_id set for the transaction (SET LOCAL ROLE + set_config). The engine's own connection role is
-- unaffected: policies bind only that role. Creating the role needs CREATEROLE (see the README for managed databases).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plaidsync_user_scope') THEN
        CREATE ROLE plaidsync_user_scope NOLOGIN NOSUPERUSER NOINHERIT NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT plaidsync_user_scope TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO plaidsync_user_scope;
GRANT SELECT ON app_users, plaid_items, user_investment_accounts, securities, holdings, investment_transactions,
    plaid_webhook_events TO plaidsync_user_scope;

ALTER TABLE app_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE plaid_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_investment_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE holdings ENABLE ROW LEVEL SECURITY;
ALTER TABLE investment_transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE plaid_webhook_events ENABLE ROW LEVEL SECURITY;

-- The engine's own role keeps full access; the policies below restrict only the user scope.
CREATE POLICY engine_all ON app_users TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON plaid_items TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON user_investment_accounts TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON holdings TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON investment_transactions TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY engine_all ON plaid_webhook_events TO PUBLIC USING (current_user <> 'plaidsync_user_scope');

CREATE POLICY own_rows ON app_users FOR SELECT TO plaidsync_user_scope
    USING (id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON plaid_items FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON user_investment_accounts FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON holdings FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON investment_transactions FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY own_rows ON plaid_webhook_events FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
