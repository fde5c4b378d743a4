package dev.plaidsync.simulator.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import dev.plaidsync.simulator.SimSecurity;

final class Universe {

	private static final String[][] US_EQUITIES = { { "ACMR", "Acme Robotics Inc" }, { "BLNK", "Blinkwell Corp" },
			{ "CRNX", "Cornix Therapeutics" }, { "DVLT", "Dovetail Systems" }, { "ELMR", "Elmridge Energy" },
			{ "FNRY", "Foundry Semiconductor" }, { "GLDW", "Goldwave Media" }, { "HRBR", "Harbor Logistics" },
			{ "IRNS", "Ironside Materials" }, { "JNPR", "Juniper Foods Co" }, { "KSTL", "Kestrel Aerospace" },
			{ "LMNA", "Lumina Software" }, { "MRDN", "Meridian Health" }, { "NBLA", "Nebula Networks" },
			{ "OKWD", "Oakwood Homes" }, { "PRSM", "Prism Retail" }, { "QNTA", "Quanta Payments" },
			{ "RVRS", "Riverside Utilities" }, { "STRL", "Sterling Banks" }, { "TNDR", "Tundra Mining" },
			{ "UPLT", "Uplift Fitness" }, { "VRTX", "Vortex Automotive" }, { "WLLW", "Willow Insurance" },
			{ "XPDT", "Expedite Freight" }, { "YLDR", "Yielder Capital" }, { "ZPHR", "Zephyr Airlines" },
			{ "AURA", "Aurora Biotech" }, { "BRCK", "Brickline REIT" }, { "CLVR", "Clover Agriculture" },
			{ "DRFT", "Driftwood Games" } };

	private static final String[][] US_ETFS = { { "TTMK", "Total Market Index ETF" }, { "SPXL5", "Large Cap 500 ETF" },
			{ "BNDX2", "Aggregate Bond ETF" }, { "INTL", "International Developed ETF" },
			{ "EMKT", "Emerging Markets ETF" }, { "DIVY", "High Dividend Yield ETF" } };

	private static final String[][] US_FUNDS = { { "TGRFX", "Target Retirement 2045 Fund" },
			{ "BALFX", "Balanced Index Fund Admiral" }, { "GRWFX", "Growth Index Fund Investor" },
			{ "MMKXX", "Prime Money Market Fund" } };

	private static final String[][] CA_SECURITIES = { { "MPLE", "Maple Railways Ltd" },
			{ "NRTH", "Northern Lights Energy" }, { "BEVR", "Beaver Forest Products" },
			{ "LOON", "Loonie Bank of Canada" }, { "CARI", "Caribou Telecom" }, { "HALI", "Halifax Shipping" },
			{ "YUKN", "Yukon Gold Corp" }, { "PRRI", "Prairie Grain Co" }, { "TSXI", "Canadian Composite Index ETF" },
			{ "CABD", "Canadian Bond Index ETF" }, { "QBEC", "Quebec Hydro Utilities" },
			{ "ALTA", "Alberta Pipelines" } };

	private final long seed;

	private final List<Definition> definitions = new ArrayList<>();

	private final Map<String, Definition> byId = new ConcurrentHashMap<>();

	private final Map<String, Long> priceSeeds = new ConcurrentHashMap<>();

	private final Map<String, PriceOverride> priceOverrides = new ConcurrentHashMap<>();

	record PriceOverride(BigDecimal price, LocalDate from) {
	}

	record Definition(String securityId, String ticker, String name, String type, String subtype, String currency,
			String mic, double basePrice, double phase, double period, String optionType, int optionExpiryOffset,
			BigDecimal optionStrike, String underlyingTicker, int maturityYears, BigDecimal yield) {

		boolean cash() {
			return "cash".equals(type);
		}

	}

	Universe(long seed) {
		this.seed = seed;
		SplittableRandom random = new SplittableRandom(Ids.seed("universe", seed));
		for (String[] e : US_EQUITIES) {
			add(random, e[0], e[1], "equity", "common stock", "USD", random.nextBoolean() ? "XNAS" : "XNYS",
					5 + random.nextDouble() * 495);
		}
		for (String[] e : US_ETFS) {
			add(random, e[0], e[1], "etf", "etf", "USD", "ARCX", 20 + random.nextDouble() * 400);
		}
		for (String[] e : US_FUNDS) {
			boolean moneyMarket = e[0].equals("MMKXX");
			add(random, e[0], e[1], moneyMarket ? "cash" : "mutual fund", moneyMarket ? "money market" : "mutual fund",
					"USD", null, moneyMarket ? 1 : 10 + random.nextDouble() * 150);
		}
		add(random, "CUR:USD", "U S Dollar", "cash", "cash", "USD", null, 1);
		for (int i = 0; i < 4; i++) {
			String underlying = US_EQUITIES[i * 3][0];
			Definition under = byTicker(underlying);
			String callPut = i % 2 == 0 ? "call" : "put";
			BigDecimal strike = BigDecimal.valueOf(Math.round(under.basePrice() * (0.9 + 0.05 * i)));
			int expiry = 60 + 45 * i;
			String ticker = underlying + " " + (callPut.equals("call") ? "C" : "P") + strike.toPlainString();
			definitions.add(put(new Definition(Ids.plaidId("security", seed, ticker), ticker,
					callPut.toUpperCase() + " " + underlying + " " + strike.toPlainString(), "derivative", "option",
					"USD", "OPRA", 1 + random.nextDouble() * 15, random.nextDouble() * 6.28, 60 + random.nextInt(200),
					callPut, expiry, strike, underlying, 0, null)));
		}
		String[][] bonds = { { "UST 4.25 2030", "US Treasury Note 4.25% 2030", "treasury" },
				{ "CORP 5.10 2033", "Meridian Health 5.10% 2033", "corporate" },
				{ "MUNI 3.00 2040", "City of Springfield Muni 3.00% 2040", "municipal" } };
		for (int i = 0; i < bonds.length; i++) {
			String ticker = bonds[i][0];
			definitions.add(put(new Definition(Ids.plaidId("security", seed, ticker), ticker, bonds[i][1],
					"fixed income", bonds[i][2], "USD", null, 94 + random.nextDouble() * 10, random.nextDouble() * 6.28,
					300, null, 0, null, null, 5 + 5 * i, BigDecimal.valueOf(3 + i).add(new BigDecimal("0.25")))));
		}
		for (String[] e : CA_SECURITIES) {
			boolean etf = e[1].contains("ETF");
			add(random, e[0], e[1], etf ? "etf" : "equity", etf ? "etf" : "common stock", "CAD", "XTSE",
					5 + random.nextDouble() * 150);
		}
		add(random, "CUR:CAD", "Canadian Dollar", "cash", "cash", "CAD", null, 1);
	}

	private void add(SplittableRandom random, String ticker, String name, String type, String subtype, String currency,
			String mic, double basePrice) {
		definitions.add(put(new Definition(Ids.plaidId("security", seed, ticker), ticker, name, type, subtype, currency,
				mic, basePrice, random.nextDouble() * 6.28, 40 + random.nextInt(300), null, 0, null, null, 0, null)));
	}

	private Definition put(Definition definition) {
		byId.put(definition.securityId(), definition);
		priceSeeds.put(definition.securityId(), Ids.seed(definition.securityId()));
		return definition;
	}

	Definition byTicker(String ticker) {
		return definitions.stream().filter(d -> d.ticker().equals(ticker)).findFirst().orElseThrow();
	}

	Definition byId(String securityId) {
		return byId.get(securityId);
	}

	List<Definition> tradable(String currency) {
		return definitions.stream()
			.filter(d -> d.currency().equals(currency) && !d.ticker().startsWith("CUR:"))
			.toList();
	}

	Definition cash(String currency) {
		return byTicker("CUR:" + currency);
	}

	void overridePrice(String securityId, BigDecimal price, LocalDate from) {
		if (!byId.containsKey(securityId)) {
			throw new IllegalArgumentException("unknown security_id " + securityId);
		}
		priceOverrides.put(securityId, new PriceOverride(price, from));
	}

	BigDecimal price(Definition d, LocalDate day) {
		PriceOverride override = priceOverrides.get(d.securityId());
		if (override != null && !day.isBefore(override.from())) {
			return override.price();
		}
		if (d.cash() || d.ticker().equals("MMKXX")) {
			return BigDecimal.ONE.setScale(2);
		}
		long epochDay = day.toEpochDay();
		double wave = 0.12 * Math.sin(2 * Math.PI * epochDay / d.period() + d.phase());
		double noise = (new SplittableRandom(Ids.mix(priceSeeds.get(d.securityId()), epochDay)).nextDouble() - 0.5)
				* 0.04;
		double price = d.basePrice() * Math.exp(wave + noise);
		return BigDecimal.valueOf(price).setScale(d.type().equals("fixed income") ? 3 : 2, RoundingMode.HALF_UP);
	}

	SimSecurity toSecurity(Definition d, LocalDate day) {
		boolean fund = d.type().equals("mutual fund") || d.type().equals("etf");
		return new SimSecurity(d.securityId(), d.ticker(), d.name(), d.type(), d.subtype(), d.cash(), d.currency(),
				price(d, day), day, d.mic(), d.optionType(),
				d.optionType() == null ? null : LocalDate.of(2027, 1, 15).plusDays(d.optionExpiryOffset()),
				d.optionStrike(), d.underlyingTicker(),
				d.maturityYears() == 0 ? null : LocalDate.of(2025 + d.maturityYears(), 6, 15), d.yield(),
				fund ? "Miscellaneous" : null, fund ? "Investment Trusts or Mutual Funds" : null,
				d.ticker().equals("TGRFX") ? byTicker("TTMK").securityId() : null,
				d.type().equals("mutual fund") ? "PLAN-" + d.ticker() : null, d.cash() ? null : closeTime(day));
	}

	/**
	 * When a day's close is taken, 16:00 in New York (US and Canadian exchanges), as
	 * Plaid dates prices.
	 */
	static OffsetDateTime closeTime(LocalDate day) {
		return day.atTime(16, 0).atZone(ZoneId.of("America/New_York")).toOffsetDateTime();
	}

	/**
	 * When a trade of the day was made: a minute between 9:30 and 16:00 in New York,
	 * taken from its id (the same on every call).
	 */
	static OffsetDateTime tradeTime(LocalDate day, String transactionId) {
		return day.atTime(9, 30)
			.plusMinutes(Math.floorMod(Ids.seed(transactionId), 390))
			.atZone(ZoneId.of("America/New_York"))
			.toOffsetDateTime();
	}

	/**
	 * Whether a holding of this security has an intraday price time (exchange-traded).
	 */
	static boolean tradedOnExchange(Definition d) {
		return d.type().equals("equity") || d.type().equals("etf") || d.type().equals("derivative");
	}

}
