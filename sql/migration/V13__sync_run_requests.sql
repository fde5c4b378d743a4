-- "The run I asked for has ended" is a contract (issue 14). Every SyncLauncher request is a row here: the run row
-- (sync_requests.id) it joined, the execution that served it, and, once that run ended, how it ended for each item
-- in its scope. Owned by the sync runtime; other modules read it through dev.plaidsync.sync.SyncRequests.
CREATE TABLE sync_run_requests (
    id               bigserial PRIMARY KEY,
    job_name         text NOT NULL,
    scope_key        text NOT NULL,
    run_row_id       bigint NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    job_execution_id bigint,
    ended_at         timestamptz,
    run_status       text,
    item_results     jsonb
);

CREATE INDEX idx_sync_run_requests_open ON sync_run_requests (run_row_id) WHERE ended_at IS NULL;
CREATE INDEX idx_sync_run_requests_open_execution ON sync_run_requests (job_execution_id) WHERE ended_at IS NULL;
CREATE INDEX idx_sync_run_requests_ended_at ON sync_run_requests (ended_at);

-- A webhook event waits for its request's run; a transient failure is retried at next_attempt_at (bounded backoff).
ALTER TABLE plaid_webhook_events
    ADD COLUMN sync_request_id bigint,
    ADD COLUMN retries         integer NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz;

CREATE INDEX idx_webhook_events_sync_request ON plaid_webhook_events (sync_request_id) WHERE status = 'LAUNCHED';
CREATE INDEX idx_webhook_events_retrying ON plaid_webhook_events (next_attempt_at)
    WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL;
