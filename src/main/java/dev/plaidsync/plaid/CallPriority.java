package dev.plaidsync.plaid;

/**
 * Who a Plaid call is for. Scheduled sweeps may spend only their share of each client-wide budget; the rest is
 * reserved for webhook-driven and user-requested calls, so that a nightly sweep never starves them.
 */
public enum CallPriority {

	/** A scheduled sweep over many items. */
	SWEEP,

	/** A webhook-driven, user-requested or operator-requested call. */
	INTERACTIVE

}
