package dev.plaidsync.sync;

import java.util.List;

/**
 * A run has ended, and with it every request it served: published on the node that ran it, after the commit that
 * recorded the end; other replicas hear it through {@code NOTIFY} (see {@link SyncRequests#whenEnded}).
 * @param requests how the run ended for each request it served
 */
public record SyncRunEnded(String jobName, String scopeKey, Long jobExecutionId, String runStatus,
		List<RequestOutcome> requests) {
}
