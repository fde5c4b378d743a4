-- Demo seeding (simulator mode) records the set it started, so a start interrupted midway completes it next time.
CREATE TABLE demo_seeding (
    id           int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    target_users int NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
);
