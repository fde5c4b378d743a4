package dev.plaidsync.sync;

/**
 * The order in which waiting runs start: every node takes the first tier's oldest waiting
 * run first, and a tier starts only when no run of the tiers before it is waiting (first
 * in, first out within a tier). Declared in that order.
 */
public enum LaunchTier {

	/**
	 * A user or an operator asked: a force-sync, a new link's first sync, a repair, an
	 * operator's run.
	 */
	USER,

	/**
	 * A webhook's run for an item whose user is watching: an open portfolio stream, or a
	 * portfolio read in the last few minutes.
	 */
	WATCHED,

	/** Any other webhook's run. */
	WEBHOOK,

	/** Scheduled sweeps and their follow-up retries. */
	SWEEP

}
