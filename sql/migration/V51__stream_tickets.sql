-- Issue 27, deliverable 2: single-use, short-lived tickets that open GET /api/portfolio/stream from a browser's
-- EventSource, which cannot send an Authorization header. Only the SHA-256 of a ticket is kept; redeeming one deletes
-- its row (DELETE ... RETURNING), so a ticket opens one stream on whichever replica it reaches, once.
CREATE TABLE stream_tickets (
    ticket_hash bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX idx_stream_tickets_expiry ON stream_tickets (expires_at);
CREATE INDEX idx_stream_tickets_user ON stream_tickets (user_id);
