-- The first syncs' listener moved from dev.plaidsync.sync to dev.plaidsync.sync.triggers (sync is cut into
-- sub-packages by concern). Spring Modulith finds a stored publication's listener by its id, the method's qualified
-- name: publications not yet completed are pointed at the moved listener, so a node that resubmits them after the
-- upgrade still starts the item's first sync. Completed ones keep their id; they are only purged.
UPDATE event_publication
SET listener_id = 'dev.plaidsync.sync.triggers.FirstSyncs.' || substr(listener_id, length('dev.plaidsync.sync.FirstSyncs.') + 1)
WHERE listener_id LIKE 'dev.plaidsync.sync.FirstSyncs.%' AND completion_date IS NULL;
