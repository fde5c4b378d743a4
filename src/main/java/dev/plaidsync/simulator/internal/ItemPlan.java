package dev.plaidsync.simulator.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.plaidsync.simulator.SimInstitution;

record ItemPlan(UUID uuid, String itemId, SimInstitution institution, List<AccountPlan> accounts,
		List<HoldingPlan> holdings) {

	private static final String[][] INVESTMENT_KINDS = { { "brokerage", "Brokerage" }, { "ira", "Traditional IRA" },
			{ "401k", "401(k) Plan" }, { "roth", "Roth IRA" }, { "brokerage", "Joint Brokerage" } };

	private static final String[][] CA_KINDS = { { "non-taxable brokerage account", "Investment Account" },
			{ "rrsp", "RRSP" }, { "tfsa", "TFSA" }, { "resp", "RESP" } };

	record AccountPlan(String accountId, String name, String officialName, String mask, String type, String subtype,
			String currency, double transactionsPerDay, BigDecimal depositoryBalance, long transactionSeed) {

		boolean investment() {
			return "investment".equals(type);
		}

	}

	record HoldingPlan(String accountId, Universe.Definition security, BigDecimal quantity, BigDecimal costFactor,
			BigDecimal valueFactor) {
	}

	static ItemPlan of(UUID uuid, Universe universe) {
		SimInstitution institution = Institutions.byIndex(Ids.institutionIndex(uuid));
		long loginHash = Ids.loginHash(uuid);
		SplittableRandom random = new SplittableRandom(Ids.seed("item", uuid));
		SplittableRandom masks = new SplittableRandom(Ids.seed("masks", institution.institutionId(), loginHash));
		boolean canadian = "CA".equals(institution.country());
		String[][] kinds = canadian ? CA_KINDS : INVESTMENT_KINDS;
		boolean heavy = Ids.heavy(uuid);
		int investmentAccounts = 1 + masks.nextInt(4);
		boolean depository = masks.nextInt(10) < 3;
		List<AccountPlan> accounts = new ArrayList<>();
		List<HoldingPlan> holdings = new ArrayList<>();
		String currency = institution.currency();
		List<Universe.Definition> tradable = universe.tradable(currency);
		for (int i = 0; i < investmentAccounts; i++) {
			String[] kind = kinds[i % kinds.length];
			String mask = String.format("%04d", masks.nextInt(10_000));
			String accountId = Ids.plaidId("account", uuid, i);
			double perDay = heavy ? 0.8 : 0.03 + random.nextDouble() * 0.12;
			accounts.add(new AccountPlan(accountId, kind[1], institution.name() + " " + kind[1], mask, "investment",
					kind[0], currency, perDay, null, Ids.seed("txn", accountId)));
			int count = Math.min(5 + random.nextInt(36), tradable.size() + 1);
			List<Universe.Definition> pool = new ArrayList<>(tradable);
			holdings.add(new HoldingPlan(accountId, universe.cash(currency),
					BigDecimal.valueOf(random.nextInt(2_000_000), 2), BigDecimal.ONE, BigDecimal.ONE));
			for (int h = 1; h < count; h++) {
				Universe.Definition security = pool.remove(random.nextInt(pool.size()));
				holdings.add(new HoldingPlan(accountId, security, quantity(security, random), costFactor(random),
						security.type().equals("derivative")
								? BigDecimal.valueOf(0.9 + random.nextDouble() * 0.08).setScale(4, RoundingMode.HALF_UP)
								: BigDecimal.ONE));
			}
		}
		if (depository) {
			String mask = String.format("%04d", masks.nextInt(10_000));
			accounts.add(new AccountPlan(Ids.plaidId("account", uuid, "depository"), "Everyday Checking",
					institution.name() + " Everyday Checking", mask, "depository", "checking", currency, 0,
					BigDecimal.valueOf(random.nextInt(1_500_000), 2), 0));
		}
		return new ItemPlan(uuid, Ids.itemId(uuid), institution, List.copyOf(accounts), List.copyOf(holdings));
	}

	private static BigDecimal quantity(Universe.Definition security, SplittableRandom random) {
		return switch (security.type()) {
			case "derivative" -> BigDecimal.valueOf((1 + random.nextInt(10)) * 100L);
			case "fixed income" -> BigDecimal.valueOf((1 + random.nextInt(50)) * 10L);
			case "mutual fund", "cash" -> BigDecimal.valueOf(random.nextInt(500_000) + 1000, 3);
			default -> random.nextInt(5) == 0 ? BigDecimal.valueOf(random.nextInt(100_000) + 1, 3)
					: BigDecimal.valueOf(1 + random.nextInt(400));
		};
	}

	private static BigDecimal costFactor(SplittableRandom random) {
		return random.nextInt(5) == 0 ? null
				: BigDecimal.valueOf(0.6 + random.nextDouble() * 0.7).setScale(4, RoundingMode.HALF_UP);
	}

}
