-- Users, Plaid Items, investment accounts, securities, holdings, investment transactions and the webhook event log.
-- Money and quantities are numeric: Plaid sends doubles, the engine stores them exactly as BigDecimal.valueOf(double).

CREATE TABLE app_users (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    auth_subject text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plaid_items (
    id                           bigserial PRIMARY KEY,
    item_id                      text NOT NULL UNIQUE,
    user_id                      uuid NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
    institution_id               text,
    institution_name             text,
    access_token_ciphertext      bytea NOT NULL,
    access_token_key_id          text NOT NULL,
    webhook_url                  text,
    status                       text NOT NULL DEFAULT 'ACTIVE'
                                 CHECK (status IN ('ACTIVE', 'NEEDS_USER', 'REVOKED', 'REMOVED')),
    status_reason                text,
    status_changed_at            timestamptz NOT NULL DEFAULT now(),
    consent_expiration_at        timestamptz,
    pending_disconnect_at        timestamptz,
    pending_disconnect_reason    text,
    new_accounts_available_at    timestamptz,
    is_investments_fallback_item boolean NOT NULL DEFAULT false,
    -- per-product sync markers: when the snapshot that was written had been fetched, and as of when Plaid's data is
    holdings_synced_at           timestamptz,
    holdings_as_of               timestamptz,
    transactions_synced_at       timestamptz,
    transactions_full_synced_at  timestamptz,
    balances_synced_at           timestamptz,
    last_error_code              text,
    last_error_message           text,
    last_error_at                timestamptz,
    created_at                   timestamptz NOT NULL DEFAULT now(),
    updated_at                   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_plaid_items_user_id ON plaid_items (user_id);
CREATE INDEX idx_plaid_items_status ON plaid_items (status, id);

CREATE TABLE user_investment_accounts (
    id                 bigserial PRIMARY KEY,
    account_id         text NOT NULL UNIQUE,
    item_id            text NOT NULL REFERENCES plaid_items (item_id) ON DELETE CASCADE,
    user_id            uuid NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
    name               text,
    official_name      text,
    mask               text,
    type               text NOT NULL,
    subtype            text,
    balance_current    numeric,
    balance_available  numeric,
    balance_limit      numeric,
    margin_loan_amount numeric,
    iso_currency_code  text,
    unofficial_currency_code text,
    balances_updated_at timestamptz,
    is_active          boolean NOT NULL DEFAULT true,
    deactivated_at     timestamptz,
    deactivated_reason text,
    holdings_suspect   boolean NOT NULL DEFAULT false,
    last_synced        timestamptz,
    sync_status        text NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('pending', 'ok', 'error')),
    sync_error         text,
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_accounts_item_id ON user_investment_accounts (item_id);
CREATE INDEX idx_accounts_user_id ON user_investment_accounts (user_id);

CREATE TABLE securities (
    security_id              text PRIMARY KEY,
    ticker_symbol            text,
    name                     text,
    type                     text,
    subtype                  text,
    close_price              numeric,
    close_price_as_of        date,
    is_cash_equivalent       boolean,
    isin                     text,
    cusip                    text,
    market_identifier_code   text,
    iso_currency_code        text,
    unofficial_currency_code text,
    updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE holdings (
    id                       bigserial PRIMARY KEY,
    account_id               text NOT NULL REFERENCES user_investment_accounts (account_id) ON DELETE CASCADE,
    item_id                  text NOT NULL,
    user_id                  uuid NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
    security_id              text NOT NULL REFERENCES securities (security_id),
    quantity                 numeric NOT NULL,
    institution_price        numeric NOT NULL,
    institution_price_as_of  date,
    institution_value        numeric NOT NULL,
    cost_basis               numeric,
    iso_currency_code        text,
    unofficial_currency_code text,
    vested_quantity          numeric,
    vested_value             numeric,
    synced_at                timestamptz NOT NULL,
    UNIQUE (account_id, security_id)
);

CREATE INDEX idx_holdings_user_id ON holdings (user_id);

CREATE TABLE investment_transactions (
    investment_transaction_id text PRIMARY KEY,
    account_id               text NOT NULL REFERENCES user_investment_accounts (account_id) ON DELETE CASCADE,
    item_id                  text NOT NULL,
    user_id                  uuid NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
    security_id              text,
    date                     date NOT NULL,
    name                     text,
    quantity                 numeric,
    amount                   numeric,
    price                    numeric,
    fees                     numeric,
    type                     text NOT NULL,
    subtype                  text,
    iso_currency_code        text,
    unofficial_currency_code text,
    cancel_transaction_id    text,
    synced_at                timestamptz NOT NULL
);

CREATE INDEX idx_investment_transactions_account_date ON investment_transactions (account_id, date);
CREATE INDEX idx_investment_transactions_user_date ON investment_transactions (user_id, date DESC);

-- The durable webhook inbox. The seed's columns, with success set when processing ends instead of defaulting to true.
CREATE TABLE plaid_webhook_events (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_type           text NOT NULL,
    webhook_code           text NOT NULL,
    item_id                text NOT NULL,
    user_id                uuid REFERENCES app_users (id) ON DELETE SET NULL,
    processed_at           timestamptz,
    processing_duration_ms integer,
    success                boolean,
    error_message          text,
    raw_webhook_data       jsonb NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT now(),
    status                 text NOT NULL DEFAULT 'RECEIVED'
                           CHECK (status IN ('RECEIVED', 'LAUNCHED', 'DONE', 'FAILED', 'IGNORED', 'UNKNOWN_ITEM')),
    status_reason          text,
    environment            text,
    verification           text NOT NULL,
    verification_key_id    text,
    body_sha256            text NOT NULL,
    job_execution_id       bigint,
    dispatch_attempts      integer NOT NULL DEFAULT 0,
    claimed_by             text,
    claimed_at             timestamptz
);

CREATE INDEX idx_webhook_events_item_id ON plaid_webhook_events (item_id, created_at DESC);
CREATE INDEX idx_webhook_events_user_id ON plaid_webhook_events (user_id, created_at DESC);
CREATE INDEX idx_webhook_events_type ON plaid_webhook_events (webhook_type, webhook_code, created_at DESC);
CREATE INDEX idx_webhook_events_pending ON plaid_webhook_events (created_at) WHERE status IN ('RECEIVED', 'LAUNCHED');
CREATE INDEX idx_webhook_events_body ON plaid_webhook_events (body_sha256);

-- At most one running and one pending request per (job, scope), cluster-wide: the SyncLauncher's coalescing.
CREATE TABLE sync_requests (
    id               bigserial PRIMARY KEY,
    job_name         text NOT NULL,
    scope_key        text NOT NULL,
    state            text NOT NULL CHECK (state IN ('PENDING', 'RUNNING')),
    parameters       jsonb NOT NULL,
    request_count    integer NOT NULL DEFAULT 1,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    job_execution_id bigint,
    node_id          text,
    UNIQUE (job_name, scope_key, state)
);
