package dev.plaidsync.simulator;

import java.util.List;
import java.util.Map;

/**
 * Counters since start or the last reset. Endpoint keys are Plaid paths such as
 * {@code /investments/holdings/get}; minute keys are epoch minutes.
 */
public record SimulatorStats(Map<String, Long> callsPerEndpoint, Map<String, Map<String, Long>> callsPerEndpointPerItem,
		Map<String, Map<Long, Long>> callsPerEndpointPerMinute, Map<String, Long> rateLimitRejections,
		Map<String, Long> injectedErrors, List<WebhookDelivery> webhookDeliveries) {
}
