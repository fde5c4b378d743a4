/**
 * The simulator's implementation: Plaid's API and the control API over HTTP, the items'
 * seeded data and faults.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync.simulator.internal;
