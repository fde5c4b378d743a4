package dev.plaidsync.simulator.internal;

import java.util.List;
import java.util.Set;

import dev.plaidsync.simulator.SimInstitution;

/**
 * Every institution the simulator knows, in a fixed order: an item's access token carries
 * its institution's position, so entries are only ever appended. First the simulator's
 * own four, then Plaid's Sandbox-only test institutions as Plaid's docs list them
 * (https://plaid.com/docs/sandbox/institutions/), with the products, routing and DTC
 * numbers of the spec's examples where the spec shows them.
 */
final class InstitutionCatalogue {

	/**
	 * Products of Plaid's general-purpose Sandbox test banks (First Platypus Bank and its
	 * siblings).
	 */
	private static final List<String> SANDBOX_US = List.of("assets", "auth", "balance", "identity",
			"income_verification", "investments", "liabilities", "transactions");

	private static final List<String> SANDBOX_CA = List.of("assets", "auth", "balance", "identity", "investments",
			"liabilities", "transactions");

	private static final List<String> SANDBOX_GB = List.of("auth", "balance", "identity", "payment_initiation",
			"transactions");

	private static final List<String> SIMULATOR_OWN = List.of("balance", "investments");

	private static final AuthMethods INSTANT_AUTH = new AuthMethods(true, false, false, false);

	/**
	 * @param products what the institution supports (Plaid's {@code Products} values)
	 * @param auth the Auth methods it supports, or null where it has no Auth product
	 */
	record Entry(SimInstitution institution, List<String> products, List<String> routingNumbers,
			List<String> dtcNumbers, boolean oauth, String url, String primaryColor, AuthMethods auth) {

		String id() {
			return institution.institutionId();
		}

		boolean supportsAll(List<String> wanted) {
			return products.containsAll(wanted);
		}

	}

	record AuthMethods(boolean instantAuth, boolean instantMatch, boolean automatedMicroDeposits,
			boolean instantMicroDeposits) {
	}

	static final List<Entry> ALL = List.of(own("ins_900001", "Tartan Brokerage", "US", "USD", true),
			own("ins_900002", "Houndstooth Securities", "US", "USD", true),
			own("ins_900003", "Gingham Investments", "US", "USD", false),
			own("ins_900004", "Maple Leaf Trust", "CA", "CAD", true),
			sandbox("ins_109508", "First Platypus Bank", "US", SANDBOX_US, List.of(), List.of(), false, "#1f5f8b",
					INSTANT_AUTH),
			sandbox("ins_109509", "First Gingham Credit Union", "US", SANDBOX_US, List.of(), List.of(), false,
					"#2f6b3a", INSTANT_AUTH),
			sandbox("ins_109510", "Tattersall Federal Credit Union", "US", SANDBOX_US, List.of(), List.of(), false,
					"#7a3b1d", INSTANT_AUTH),
			sandbox("ins_109511", "Tartan Bank", "US", SANDBOX_US, List.of(), List.of(), false, "#a3262a",
					INSTANT_AUTH),
			sandbox("ins_109512", "Houndstooth Bank", "US", List.of("auth", "balance", "identity", "transactions"),
					List.of("011000138", "011200365", "011400495"), List.of("2236", "0955", "1367"), false, "#3d3d3d",
					new AuthMethods(false, true, true, false)),
			sandbox("ins_109513", "Theoretical Bank", "US",
					List.of("assets", "auth", "balance", "cra_lend_score", "cra_plaid_credit_score", "identity",
							"identity_match", "income", "pay_by_bank", "processor_payments", "recurring_transactions",
							"transactions", "transfer"),
					List.of("031101270", "103100194", "103112357"), List.of(), true, "#5b2c83", INSTANT_AUTH),
			sandbox("ins_130016", "First Platypus Balance Bank", "US", SANDBOX_US, List.of(), List.of(), false,
					"#1f5f8b", INSTANT_AUTH),
			sandbox("ins_127287", "Platypus OAuth Bank", "US", SANDBOX_US, List.of(), List.of(), true, "#1f5f8b",
					INSTANT_AUTH),
			sandbox("ins_132241", "First Platypus OAuth App2App Bank", "US", SANDBOX_US, List.of(), List.of(), true,
					"#1f5f8b", INSTANT_AUTH),
			sandbox("ins_43", "Tartan-Dominion Bank of Canada", "CA", SANDBOX_CA, List.of(), List.of(), false,
					"#a3262a", INSTANT_AUTH),
			sandbox("ins_116834", "Flexible Platypus Open Banking", "GB", SANDBOX_GB, List.of(), List.of(), true,
					"#1f5f8b", INSTANT_AUTH),
			sandbox("ins_117650", "Royal Bank of Plaid", "GB", SANDBOX_GB, List.of(), List.of(), false, "#12355b",
					INSTANT_AUTH),
			sandbox("ins_117181", "Flexible Platypus Open Banking (QR code)", "GB", SANDBOX_GB, List.of(), List.of(),
					true, "#1f5f8b", INSTANT_AUTH));

	/**
	 * What Plaid's {@code Products} enum allows in a filter; anything else is
	 * INVALID_FIELD.
	 */
	static final Set<String> KNOWN_PRODUCTS = Set.of("assets", "auth", "balance", "balance_plus", "beacon", "identity",
			"identity_match", "investments", "investments_auth", "liabilities", "payment_initiation",
			"identity_verification", "transactions", "credit_details", "income", "income_verification",
			"standing_orders", "transfer", "employment", "recurring_transactions", "transactions_refresh", "signal",
			"statements", "processor_payments", "processor_identity", "profile", "cra_base_report",
			"cra_income_insights", "cra_partner_insights", "cra_network_insights", "cra_cashflow_insights",
			"cra_monitoring", "cra_lend_score", "cra_plaid_credit_score", "layer", "pay_by_bank", "protect_linked_bank",
			"protect_transactions");

	/** Plaid's {@code CountryCode} enum. */
	static final Set<String> COUNTRY_CODES = Set.of("US", "GB", "ES", "NL", "FR", "IE", "CA", "DE", "IT", "PL", "DK",
			"NO", "SE", "EE", "LT", "LV", "PT", "BE", "AT", "FI");

	private InstitutionCatalogue() {
	}

	private static Entry own(String id, String name, String country, String currency, boolean refresh) {
		return new Entry(new SimInstitution(id, name, country, currency, refresh), SIMULATOR_OWN, List.of(), List.of(),
				false, null, null, null);
	}

	private static Entry sandbox(String id, String name, String country, List<String> products,
			List<String> routingNumbers, List<String> dtcNumbers, boolean oauth, String color, AuthMethods auth) {
		String currency = switch (country) {
			case "CA" -> "CAD";
			case "GB" -> "GBP";
			default -> "USD";
		};
		return new Entry(new SimInstitution(id, name, country, currency, true), products, routingNumbers, dtcNumbers,
				oauth, null, color, products.contains("auth") ? auth : null);
	}

	/**
	 * Refuses a link the simulator cannot serve as Plaid would: an unknown institution is
	 * INVALID_INSTITUTION, and a product it lacks (the simulator's items are investment
	 * items, so {@code investments} always) is PRODUCTS_NOT_SUPPORTED.
	 */
	static Entry linkable(String institutionId, List<String> products) {
		Entry entry = byId(institutionId);
		if (entry == null) {
			throw PlaidException.invalidInstitution();
		}
		List<String> missing = new java.util.ArrayList<>();
		for (String product : products) {
			if (!"balance".equals(product) && !entry.products().contains(product) && !missing.contains(product)) {
				missing.add(product);
			}
		}
		if (!entry.products().contains("investments") && !missing.contains("investments")) {
			missing.add("investments");
		}
		if (!missing.isEmpty()) {
			throw PlaidException.productsNotSupported(entry.institution().name(), missing);
		}
		return entry;
	}

	static Entry byId(String institutionId) {
		for (Entry entry : ALL) {
			if (entry.id().equals(institutionId)) {
				return entry;
			}
		}
		return null;
	}

}
