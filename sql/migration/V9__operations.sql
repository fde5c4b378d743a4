-- Nodes heartbeat here; an execution whose owning node is unseen for a while is an orphan, marked FAILED and resumed.
CREATE TABLE engine_nodes (
    node_id      text PRIMARY KEY,
    host         text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE job_execution_owners (
    job_execution_id        bigint PRIMARY KEY,
    job_name                text NOT NULL,
    node_id                 text NOT NULL,
    started_at              timestamptz NOT NULL DEFAULT now(),
    orphaned_at             timestamptz,
    stopped_for_shutdown_at timestamptz,
    resumed_at              timestamptz,
    resumed_as              bigint
);

CREATE INDEX idx_job_execution_owners_node ON job_execution_owners (node_id);

-- Every operator action: who, what, when, and how it ended.
CREATE TABLE ops_audit (
    id     bigserial PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT now(),
    actor  text NOT NULL,
    action text NOT NULL,
    target text,
    result text NOT NULL,
    detail text
);

CREATE INDEX idx_ops_audit_at ON ops_audit (at DESC);
