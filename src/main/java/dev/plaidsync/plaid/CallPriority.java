package dev.plaidsync.plaid;

/**
 * Who a Plaid call is for. Webhook-driven, user-requested and operator-requested calls go
 * first in each client-wide budget; scheduled sweeps take every permit they leave, so a
 * nightly sweep never starves them and never idles while they are quiet.
 */
public enum CallPriority {

	/** A scheduled sweep over many items. */
	SWEEP,

	/** A webhook-driven, user-requested or operator-requested call. */
	INTERACTIVE

}
