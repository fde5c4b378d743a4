-- Items that failed in a sync execution, with Plaid's code: what operators see beside a run.
CREATE TABLE sync_item_failures (
    id               bigserial PRIMARY KEY,
    job_execution_id bigint NOT NULL,
    job_name         text NOT NULL,
    item_id          text NOT NULL,
    failure_kind     text NOT NULL,
    error_code       text,
    message          text,
    occurred_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_sync_item_failures_execution ON sync_item_failures (job_execution_id);
CREATE INDEX idx_sync_item_failures_item ON sync_item_failures (item_id, occurred_at DESC);
