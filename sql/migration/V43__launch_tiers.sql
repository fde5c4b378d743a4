-- Issue 29: waiting runs start by tier (0 user and operator actions, 1 webhooks for watched items, 2 other webhooks,
-- 3 sweeps), first in, first out within a tier, on every node: a node with a free launch slot takes the first
-- tier's oldest PENDING row. Rows written before this migration were all interactive or sweeps alike: they wait as
-- webhooks (2), which keeps them ahead of sweeps and behind users.
ALTER TABLE sync_requests ADD COLUMN tier smallint NOT NULL DEFAULT 2 CHECK (tier BETWEEN 0 AND 3);
CREATE INDEX idx_sync_requests_queue ON sync_requests (tier, requested_at, id) WHERE state = 'PENDING';

-- Items whose user is watching (an open portfolio stream, a recent portfolio read) until watched_until: their
-- webhook runs wait in tier 1. Written by the portfolio module through dev.plaidsync.sync.WatchedItems.
CREATE TABLE sync_watched_items (
    item_id       text PRIMARY KEY,
    watched_until timestamptz NOT NULL
);
