-- Issue 27: the notifications module's durable per-user event sequence (the outbox) and the log of its outgoing
-- Standard Webhooks deliveries. Every event is written in the transaction of the change it reports.
--
-- notification_users: one row per user who ever had an event. last_seq hands out the user's next sequence number
-- (the row lock serialises a user's writers, so the sequence has no gaps and no duplicates); due_at is when the
-- delivery worker next looks at the user's oldest pending event (NULL: nothing pending, or no endpoint). A worker
-- claims a user by pushing due_at past the HTTP call (a lease), so replicas share users with SKIP LOCKED and never
-- deliver one user's events out of order. No foreign key to app_users: user.deleted outlives the user.
CREATE TABLE notification_users (
    user_id  uuid PRIMARY KEY,
    last_seq bigint NOT NULL,
    due_at   timestamptz
);
CREATE INDEX idx_notification_users_due ON notification_users (due_at) WHERE due_at IS NOT NULL;

-- One event: (user_id, seq) is the id the stream resumes after ("after seq N for user U"); message_id is the
-- webhook-id header, the same for every attempt and replay so receivers de-duplicate. delivery: PENDING (to be
-- delivered), DELIVERED, FAILED (given up plaidsync.events.webhook.give-up-after past
-- its first attempt), NO_ENDPOINT (written while
-- no PLAIDSYNC_EVENTS_WEBHOOK_URL was set: kept for the stream, never delivered).
CREATE TABLE notification_events (
    id              bigserial PRIMARY KEY,
    user_id         uuid NOT NULL,
    seq             bigint NOT NULL,
    type            text NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    data            jsonb NOT NULL,
    message_id      text NOT NULL UNIQUE,
    delivery        text NOT NULL CHECK (delivery IN ('PENDING', 'DELIVERED', 'FAILED', 'NO_ENDPOINT')),
    attempts        int NOT NULL DEFAULT 0,
    first_attempt_at timestamptz,
    last_attempt_at timestamptz,
    delivered_at    timestamptz,
    UNIQUE (user_id, seq)
);
-- Pending deliveries oldest first per user: the worker's "head of the user's queue", and the oldest-pending gauge.
CREATE INDEX idx_notification_events_pending ON notification_events (user_id, seq) WHERE delivery = 'PENDING';
CREATE INDEX idx_notification_events_pending_age ON notification_events (occurred_at) WHERE delivery = 'PENDING';
-- Operators' lists: failed ones newest first, and replays of everything failed since a time.
CREATE INDEX idx_notification_events_failed ON notification_events (occurred_at) WHERE delivery = 'FAILED';
-- Retention and time-ordered reads.
CREATE INDEX idx_notification_events_occurred ON notification_events (occurred_at);

-- Every delivery attempt: which endpoint, the HTTP status or the error, and how long it took.
CREATE TABLE notification_deliveries (
    id           bigserial PRIMARY KEY,
    event_id     bigint NOT NULL REFERENCES notification_events (id) ON DELETE CASCADE,
    attempt      int NOT NULL,
    endpoint     text NOT NULL,
    http_status  int,
    error        text,
    latency_ms   bigint NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_notification_deliveries_event ON notification_deliveries (event_id, attempt);
CREATE INDEX idx_notification_deliveries_recent ON notification_deliveries (attempted_at);

-- The stream (deliverable 2) reads a user's events as that user, under row-level security, like every user read.
GRANT SELECT ON notification_events TO plaidsync_user_scope;
ALTER TABLE notification_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY engine_all ON notification_events TO PUBLIC USING (current_user <> 'plaidsync_user_scope');
CREATE POLICY own_rows ON notification_events FOR SELECT TO plaidsync_user_scope
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
