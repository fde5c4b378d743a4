package dev.plaidsync.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * "The run I asked for has ended", as a query and as a wait. Every
 * {@link SyncLauncher#request} returns a request id; once the run that served it has
 * ended, {@link #outcomes} answers how, and {@link #whenEnded} completes, on whichever
 * replica asks: the node that ran it publishes {@link SyncRunEnded} locally and sends
 * {@code NOTIFY} to the others. Waiting holds no thread. Thread safe.
 */
public interface SyncRequests {

	/**
	 * How the requests that have ended ended; requests still waiting for their run are
	 * absent.
	 */
	Map<Long, RequestOutcome> outcomes(Collection<Long> requestIds);

	/**
	 * Completes, with the outcomes in the order of {@code requestIds}, once every
	 * request's run has ended; at once when they already have. Bound it with
	 * {@link CompletableFuture#orTimeout}. Completion may come on a listener or job
	 * thread: continue with an {@code ...Async} stage for anything slow.
	 */
	CompletableFuture<List<RequestOutcome>> whenEnded(Collection<Long> requestIds);

}
