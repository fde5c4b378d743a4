package dev.plaidsync.sync;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A run has ended, and with it every request it served: published by
 * {@code SyncRunEndings} (its one publisher) in the transaction that records the end, and
 * delivered after the commit, on the node that ran it or, should that node die first, on
 * the one that resubmits it; other replicas hear of it through {@code NOTIFY} (see
 * {@link SyncRequests#whenEnded}).
 *
 * @param requests how the run ended for each request it served
 */
public record SyncRunEnded(String jobName, String scopeKey, @Nullable Long jobExecutionId, String runStatus,
		List<RequestOutcome> requests) {
}
