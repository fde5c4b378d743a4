package dev.plaidsync.simulator;

/**
 * A fake institution of the simulator.
 *
 * @param refreshSupported false when /investments/refresh answers PRODUCT_NOT_SUPPORTED
 */
public record SimInstitution(String institutionId, String name, String country, String currency,
		boolean refreshSupported) {
}
