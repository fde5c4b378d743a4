/**
 * A Plaid-compatible HTTP simulator for tests and load tests. Active while
 * {@code plaid.env} is {@code simulator} or unset; configured by
 * {@link dev.plaidsync.simulator.SimulatorProperties}.
 * <ul>
 * <li>Plaid API: {@code POST /simulator/plaid/...}; give plaid-java
 * {@code http://host:port/simulator/plaid}.</li>
 * <li>Control API: {@code /simulator/control/...}; the same operations as
 * {@link dev.plaidsync.simulator.PlaidSimulator}.</li>
 * <li>Standalone: {@link dev.plaidsync.simulator.SimulatorServer}, no database.</li>
 * </ul>
 * Access tokens ({@code access-sandbox-<uuid>}) carry the item's seed, institution and
 * login, so an item answers the same data after a simulator restart; commands applied to
 * it are kept in memory only.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package dev.plaidsync.simulator;
