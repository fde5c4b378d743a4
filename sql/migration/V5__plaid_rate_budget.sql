-- bucket4j's state for Plaid's client-wide rate limits, shared by every node (one row per endpoint and share).
CREATE TABLE plaid_rate_buckets (
    id         text PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
