-- Spring Modulith's JDBC event publication registry: every event a transaction publishes to an
-- @ApplicationModuleListener is stored here in that same transaction, so it is delivered even when the node dies right
-- after the commit (EventPublications resubmits it). The table and its two indexes are Spring Modulith 2.0.3's own
-- PostgreSQL schema (spring-modulith-events-jdbc, schemas/v2/schema-postgresql.sql), verbatim; Flyway owns it, so
-- spring.modulith.events.jdbc.schema-initialization.enabled is false.
CREATE TABLE IF NOT EXISTS event_publication
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  completion_date        TIMESTAMP WITH TIME ZONE,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS event_publication_serialized_event_hash_idx ON event_publication USING hash(serialized_event);
CREATE INDEX IF NOT EXISTS event_publication_by_completion_date_idx ON event_publication (completion_date);

-- Ours: the registry looks publications up by status (failed ones to resubmit, resubmitted ones in flight, stale
-- in-flight ones); completed rows, the bulk of the table until they are purged, are never read that way.
CREATE INDEX IF NOT EXISTS event_publication_by_status_idx ON event_publication (status, publication_date);
