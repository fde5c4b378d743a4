-- Webhook processing health over the last 24 hours, by type and code (the seed's query on this schema).
-- success is NULL while an event is still being processed; such events count in total only.
SELECT webhook_type,
       webhook_code,
       count(*)                                   AS total_events,
       count(*) FILTER (WHERE success = true)     AS successful,
       count(*) FILTER (WHERE success = false)    AS failed,
       count(*) FILTER (WHERE status IN ('RECEIVED', 'LAUNCHED')) AS in_progress,
       count(*) FILTER (WHERE status = 'IGNORED') AS ignored,
       count(*) FILTER (WHERE status = 'UNKNOWN_ITEM') AS unknown_item,
       round(avg(processing_duration_ms), 1)      AS avg_processing_time_ms,
       max(created_at)                            AS last_received
FROM plaid_webhook_events
WHERE created_at >= now() - interval '24 hours'
GROUP BY webhook_type, webhook_code
ORDER BY total_events DESC, webhook_type, webhook_code;
