-- One failure row per item and execution: a chunk that rolled back and was then written item by item (Batch's
-- chunk scanning) records its failed items again, and ON CONFLICT DO NOTHING keeps the first record.
DELETE FROM sync_item_failures f
USING sync_item_failures earlier
WHERE earlier.job_execution_id = f.job_execution_id AND earlier.item_id = f.item_id AND earlier.id < f.id;

CREATE UNIQUE INDEX uq_sync_item_failures_execution_item ON sync_item_failures (job_execution_id, item_id);

-- An execution still STARTED in the repository that no thread of its (live) node runs any more: its thread ended
-- while the database could not record how. The owning node fails it with this mark, and it is resumed like an orphan.
ALTER TABLE job_execution_owners ADD COLUMN stranded_at timestamptz;
