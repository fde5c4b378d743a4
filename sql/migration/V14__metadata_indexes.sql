-- Indexes for every query that Spring Batch and the engine run on a hot path, so that they stay index lookups with
-- millions of job executions (about 200,000 single-item runs a day at 150,000 items). Built in the migration's
-- transaction, which blocks writes to these tables while they build. On a database that already holds millions of
-- executions, build them beforehand without blocking (CREATE INDEX CONCURRENTLY, same names and definitions): the
-- IF NOT EXISTS clauses then make this migration a no-op. (CONCURRENTLY cannot run here: Flyway keeps a transaction
-- open for its lock, and a concurrent build waits for every open transaction.)

-- Spring Batch's own queries (its reference, "Recommendations for Indexing Meta Data Tables"): the foreign keys,
-- and the newest instance of a job.
CREATE INDEX IF NOT EXISTS idx_batch_job_instance_name ON batch_job_instance (job_name, job_instance_id);
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_instance ON batch_job_execution (job_instance_id, job_execution_id);
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_params_execution ON batch_job_execution_params (job_execution_id);
CREATE INDEX IF NOT EXISTS idx_batch_step_execution_execution ON batch_step_execution (job_execution_id, step_name);

-- Running executions: Spring Batch's findRunningJobExecutions, orphan recovery, graceful shutdown, the launcher.
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_running ON batch_job_execution (job_instance_id)
    WHERE status IN ('STARTING', 'STARTED', 'STOPPING');
-- Failed and stopped executions: the unresolved-failures gauge and retention's failure tier.
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_unresolved ON batch_job_execution (job_instance_id, job_execution_id)
    WHERE status IN ('FAILED', 'STOPPED');
-- Retention walks ended executions oldest first.
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_end_time ON batch_job_execution (end_time, job_execution_id);
-- The webhook inbox finds an item's runs by their itemId parameter; the metrics find the scheduled sweeps.
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_params_item ON batch_job_execution_params (parameter_value, job_execution_id)
    WHERE parameter_name = 'itemId';
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_params_sweep ON batch_job_execution_params (job_execution_id)
    WHERE parameter_name = 'scope' AND parameter_value = 'ALL';
-- The console's items-synced-per-hour chart: steps by their last activity.
CREATE INDEX IF NOT EXISTS idx_batch_step_execution_activity ON batch_step_execution ((coalesce(end_time, last_updated)));

-- Orphan recovery's resumable executions, and the last execution of each job for the console.
CREATE INDEX IF NOT EXISTS idx_job_execution_owners_resumable ON job_execution_owners (job_execution_id)
    WHERE resumed_at IS NULL AND (orphaned_at IS NOT NULL OR stopped_for_shutdown_at IS NOT NULL);
CREATE INDEX IF NOT EXISTS idx_job_execution_owners_job ON job_execution_owners (job_name, job_execution_id);

-- Webhook events by time: the per-hour chart and retention.
CREATE INDEX IF NOT EXISTS idx_webhook_events_created ON plaid_webhook_events (created_at);

-- Deleting an item's rows (removal, a user's deletion) finds them by item.
CREATE INDEX IF NOT EXISTS idx_holdings_item_id ON holdings (item_id);
CREATE INDEX IF NOT EXISTS idx_investment_transactions_item_id ON investment_transactions (item_id);
