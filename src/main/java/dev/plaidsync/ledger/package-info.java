/**
 * What the stored transactions say about positions: average-cost basis, realized gain and
 * open quantity per account and security
 * ({@link dev.plaidsync.ledger.CostBasisCalculator},
 * {@link dev.plaidsync.ledger.CostBasis}), and the reconciliation of daily holdings
 * snapshots against the transactions dated between them, listed for operators at
 * {@code /ops/reconciliation} and counted in metrics.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Ledger", allowedDependencies = { "common", "sync" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.ledger;
