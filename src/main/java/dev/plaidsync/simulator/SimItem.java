package dev.plaidsync.simulator;

import java.util.List;

/**
 * Everything /investments/holdings/get would answer for an item right now, before any
 * account filter.
 */
public record SimItem(String itemId, String accessToken, SimInstitution institution, String webhookUrl,
		boolean loginRequired, List<SimAccount> accounts, List<SimHolding> holdings, List<SimSecurity> securities) {
}
