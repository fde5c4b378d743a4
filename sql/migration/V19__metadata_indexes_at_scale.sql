-- Found by MetadataAtScaleIntegrationTests (1M executions, ANALYZEd): hot statements that still planned a sequential
-- scan with V14's indexes. As in V14, on a database that already holds millions of executions, build these beforehand
-- with CREATE INDEX CONCURRENTLY (same names and definitions); IF NOT EXISTS then makes this migration a no-op.

-- Orphan recovery's resume query also picks up stranded executions (V11's stranded_at), which V14's partial index
-- does not cover, so every recovery tick read all of job_execution_owners.
CREATE INDEX IF NOT EXISTS idx_job_execution_owners_resumable_v15 ON job_execution_owners (job_execution_id)
    WHERE resumed_at IS NULL AND (orphaned_at IS NOT NULL OR stopped_for_shutdown_at IS NOT NULL OR stranded_at IS NOT NULL);
DROP INDEX IF EXISTS idx_job_execution_owners_resumable;

-- /ops/executions?status=…: the newest executions of one status, paged and counted newest first.
CREATE INDEX IF NOT EXISTS idx_batch_job_execution_status ON batch_job_execution (status, job_execution_id);
