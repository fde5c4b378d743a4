package dev.plaidsync.sync;

import org.jspecify.annotations.Nullable;

/**
 * What became of a sync request.
 *
 * @param jobExecutionId the execution started for it, when one was
 * @param requestId the request's id: {@link SyncRequests} tells when the run that serves
 * it has ended, and how
 */
public record LaunchOutcome(Status status, @Nullable Long jobExecutionId, String message, long requestId) {

	public enum Status {

		/** A new execution started. */
		STARTED,

		/**
		 * A run for this job and scope was already waiting to start; the request joined
		 * it.
		 */
		JOINED_PENDING,

		/**
		 * A new run waits for a free launch slot, in its tier: runs start highest tier
		 * first, on whichever node frees a slot.
		 */
		QUEUED,

		/** A run for this job and scope is in progress; one fresh run will follow it. */
		QUEUED_AFTER_RUNNING,

		/** This slot's run already completed; nothing to do. */
		ALREADY_COMPLETE,

		/**
		 * The run could not start just now (say, the database was briefly unavailable);
		 * it waits and is retried.
		 */
		DEFERRED

	}

}
