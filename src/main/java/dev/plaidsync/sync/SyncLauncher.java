package dev.plaidsync.sync;

/**
 * The one entry point for schedules, webhooks, operators and users to run a sync.
 * Launches are asynchronous.
 * <p>
 * Requests are rows in PostgreSQL, unique per (job, scope, state), so coalescing holds
 * across every node: at most one run in progress and one waiting per job and scope. A
 * request while one is waiting joins it; a request during a run gets one fresh run after
 * it, so data that changed mid-run is never missed. A run is identified by its scope and
 * slot, never by a timestamp, so launching a slot twice is a no-op and a failed run can
 * be restarted.
 */
public interface SyncLauncher {

	/**
	 * Asks for a run of {@code job} over {@code scope}. Idempotent per slot; safe to call
	 * from any node at any time.
	 * <p>
	 * The request joins the run of this job and scope that is waiting to start, if there
	 * is one, and otherwise waits for a new one: it never joins a run that has started,
	 * so the run that serves it fetches after it was made. A joined request keeps the
	 * widest ask: a FULL transactions window upgrades a ROUTINE one, interactive priority
	 * beats sweep priority, and a sweep that skips nothing beats one that skips recently
	 * synced items.
	 * @param slot the schedule's fire time for scheduled runs, otherwise the id of the
	 * event or request
	 * @return the outcome, with the request id that {@link SyncRequests} answers for once
	 * its run has ended
	 */
	LaunchOutcome request(SyncJob job, SyncScope scope, String slot, SyncOptions options);

}
