package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Average-cost basis of one account's position in one security, from its transactions, by
 * the {@link LedgerRule} that each transaction's type and subtype select in
 * {@link PlaidSubtype} (docs/ledger.md tabulates them with worked examples):
 * <ol>
 * <li>A cancel removes itself and its original: the latest not yet cancelled transaction
 * on or before its date whose quantity is the cancel's negated (one whose amount is the
 * cancel's negated is preferred). A cancel without one is left out and counted.</li>
 * <li>Transactions apply by date, then by {@code transaction_datetime} where Plaid sent
 * it, then those that add units before those that remove them, then by id.</li>
 * <li>Which way units and cash move comes from the rule, never from the sign of the
 * quantity or amount alone. The cash of a trade is read from the arithmetic: when
 * {@code |amount|} matches quantity × price × multiplier without the fees (within a cent
 * and 0.05 %), the fees are outside it and are added (a buy) or taken off (a sell);
 * otherwise the amount is what moved. With no amount (or zero against a price), quantity
 * × price × multiplier ± fees.</li>
 * <li>A trade against an open position in the other direction closes it first (a sell
 * closes a long, a buy covers a short) and realizes its cash less the closed units' share
 * of the basis; only a short sale opens a short, and a plain buy opens a long. Units sold
 * or covered beyond what the transactions opened are counted as unexplained (the position
 * predates the window); only the open part realizes.</li>
 * <li>Every amount is kept in its own currency; none is ever added into another's.</li>
 * </ol>
 * Arithmetic is BigDecimal throughout, at 34 significant digits; amounts are rounded
 * half-up to the cent and the average cost to 6 decimals. Stateless and thread-safe.
 */
public final class CostBasisCalculator {

	static final BigDecimal OPTION_MULTIPLIER = BigDecimal.valueOf(100);

	private static final MathContext PRECISION = MathContext.DECIMAL128;

	private static final BigDecimal CENT = new BigDecimal("0.01");

	private static final BigDecimal RELATIVE_TOLERANCE = new BigDecimal("0.0005");

	private static final String OWN = "";

	private static final Comparator<LedgerTransaction> ORDER = Comparator.comparing(LedgerTransaction::date)
		.thenComparing(LedgerTransaction::datetime, Comparator.nullsLast(Comparator.<OffsetDateTime>naturalOrder()))
		.thenComparing(CostBasisCalculator::removesUnits)
		.thenComparing(LedgerTransaction::id);

	private CostBasisCalculator() {
	}

	/** A position of one unit per unit, all in its own currency. */
	public static PositionBasis basis(List<LedgerTransaction> transactions) {
		return basis(transactions, null, BigDecimal.ONE);
	}

	/**
	 * @param currency the position's currency: transactions in it, or with none, make its
	 * basis; others are kept apart
	 * @param multiplier units of the underlying per unit (an option contract's, 100
	 * unless known; else 1)
	 */
	public static PositionBasis basis(List<LedgerTransaction> transactions, String currency, BigDecimal multiplier) {
		Set<String> removed = cancelled(transactions);
		int unmatched = (int) transactions.stream().filter((t) -> t.isCancel() && !removed.contains(t.id())).count();
		Position position = new Position(currency, multiplier);
		transactions.stream()
			.filter((t) -> !t.isCancel() && !removed.contains(t.id()))
			.sorted(ORDER)
			.forEach(position::apply);
		return position.result(removed.size(), unmatched);
	}

	/**
	 * The realized gain of the position in its own currency by the calendar year of the
	 * transactions that realized it (a sell, a cover, a return of capital beyond the
	 * basis, an expiry), each year's rounded half-up to the cent; years that realized
	 * nothing are absent. Cancels are matched over all the transactions first, so a trade
	 * cancelled in a later year realizes nothing in its own. Amounts in other currencies
	 * are left out.
	 */
	public static Map<Integer, BigDecimal> realizedByYear(List<LedgerTransaction> transactions, String currency,
			BigDecimal multiplier) {
		Set<String> removed = cancelled(transactions);
		Position position = new Position(currency, multiplier);
		Map<Integer, BigDecimal> byYear = new TreeMap<>();
		transactions.stream().filter((t) -> !t.isCancel() && !removed.contains(t.id())).sorted(ORDER).forEach((t) -> {
			BigDecimal before = position.realizedOwn();
			position.apply(t);
			BigDecimal realized = position.realizedOwn().subtract(before);
			if (realized.signum() != 0) {
				byYear.merge(t.date().getYear(), realized, BigDecimal::add);
			}
		});
		byYear.replaceAll((year, amount) -> amount.setScale(2, RoundingMode.HALF_UP));
		byYear.values().removeIf((amount) -> amount.signum() == 0);
		return byYear;
	}

	/** Whether a transaction removes units, to order a day's additions first. */
	private static boolean removesUnits(LedgerTransaction t) {
		return switch (t.rule()) {
			case SELL, SELL_SHORT, DISTRIBUTION, FEE, EXPIRE, RETURN_OF_CAPITAL -> true;
			case EXERCISE -> "sell".equals(t.type()) || (!"buy".equals(t.type()) && t.quantityOrZero().signum() < 0);
			case TRANSFER, SPLIT, MERGER, SPIN_OFF -> t.quantityOrZero().signum() < 0;
			default -> false;
		};
	}

	/**
	 * The running position: signed units, and basis, realized gain and carried-out basis
	 * per currency.
	 */
	private static final class Position {

		private final String currency;

		private final BigDecimal multiplier;

		private BigDecimal units = BigDecimal.ZERO;

		private final Map<String, BigDecimal> cost = new TreeMap<>();

		private final Map<String, BigDecimal> realized = new TreeMap<>();

		private final Map<String, BigDecimal> carried = new TreeMap<>();

		private BigDecimal unexplained = BigDecimal.ZERO;

		private int applied;

		private int withoutBasis;

		private LocalDate first;

		private LocalDate last;

		Position(String currency, BigDecimal multiplier) {
			this.currency = currency;
			this.multiplier = (multiplier != null && multiplier.signum() > 0) ? multiplier : BigDecimal.ONE;
		}

		void apply(LedgerTransaction t) {
			BigDecimal quantity = t.quantityOrZero();
			BigDecimal units = quantity.abs();
			String in = key(t);
			boolean touched = switch (t.rule()) {
				case BUY, REINVEST -> buy(t, units, in, false);
				case BUY_TO_COVER -> buy(t, units, in, true);
				case SELL -> sell(t, units, in, false);
				case SELL_SHORT -> sell(t, units, in, true);
				case TRANSFER, SPIN_OFF ->
					(quantity.signum() > 0) ? receiveWithoutBasis(t, units, in) : moveOut(units, false);
				case MERGER -> (quantity.signum() > 0) ? receiveWithoutBasis(t, units, in) : moveOut(units, true);
				case DISTRIBUTION, FEE -> moveOut(units, false);
				case SPLIT -> split(quantity);
				case STOCK_DISTRIBUTION -> split(units);
				case RETURN_OF_CAPITAL -> (units.signum() != 0) ? sell(t, units, in, false) : returnOfCapital(t, in);
				case EXPIRE -> expire();
				case EXERCISE -> exercise(t, units, in);
				case INCOME, CASH, CANCEL -> false;
			};
			if (touched) {
				this.applied++;
				this.first = (this.first == null) ? t.date() : this.first;
				this.last = t.date();
			}
		}

		private boolean buy(LedgerTransaction t, BigDecimal quantity, String in, boolean coverOnly) {
			if (quantity.signum() == 0) {
				return false;
			}
			BigDecimal paid = cashPaid(t, quantity);
			BigDecimal rest = quantity;
			if (this.units.signum() < 0) {
				BigDecimal covering = quantity.min(this.units.negate());
				Map<String, BigDecimal> closed = close(covering);
				realize(in, share(paid, covering, quantity).negate(), closed);
				rest = quantity.subtract(covering);
			}
			if (rest.signum() > 0) {
				if (coverOnly) {
					this.unexplained = this.unexplained.add(rest);
				}
				else {
					open(rest, in, share(paid, rest, quantity));
				}
			}
			return true;
		}

		private boolean sell(LedgerTransaction t, BigDecimal quantity, String in, boolean shortSale) {
			if (quantity.signum() == 0) {
				return false;
			}
			BigDecimal proceeds = cashReceived(t, quantity);
			BigDecimal rest = quantity;
			if (this.units.signum() > 0) {
				BigDecimal closing = quantity.min(this.units);
				Map<String, BigDecimal> closed = close(closing);
				realize(in, share(proceeds, closing, quantity), closed);
				rest = quantity.subtract(closing);
			}
			if (rest.signum() > 0) {
				if (shortSale) {
					open(rest.negate(), in, share(proceeds, rest, quantity).negate());
				}
				else {
					this.unexplained = this.unexplained.add(rest);
				}
			}
			return true;
		}

		/**
		 * Units in whose basis the transactions do not carry: at the value Plaid gave,
		 * counted as unknown.
		 */
		private boolean receiveWithoutBasis(LedgerTransaction t, BigDecimal quantity, String in) {
			if (this.units.signum() < 0) {
				this.unexplained = this.unexplained.add(quantity);
				return true;
			}
			BigDecimal value = (t.amount() != null && t.amount().signum() != 0) ? t.amount().abs()
					: quantity.multiply(orZero(t.price()).abs()).multiply(this.multiplier);
			open(quantity, in, value);
			this.withoutBasis++;
			return true;
		}

		/**
		 * Units out at the average cost, realizing nothing; the basis is carried to
		 * another security or just leaves.
		 */
		private boolean moveOut(BigDecimal quantity, boolean carry) {
			if (quantity.signum() == 0) {
				return false;
			}
			BigDecimal leaving = (this.units.signum() > 0) ? quantity.min(this.units) : BigDecimal.ZERO;
			this.unexplained = this.unexplained.add(quantity.subtract(leaving));
			Map<String, BigDecimal> closed = close(leaving);
			if (carry) {
				closed.forEach((currency, amount) -> this.carried.merge(currency, amount, BigDecimal::add));
			}
			return true;
		}

		private boolean split(BigDecimal quantity) {
			if (quantity.signum() == 0) {
				return false;
			}
			this.units = this.units.add(quantity);
			return true;
		}

		/** Cash back that lowers the basis; what exceeds the basis is a gain. */
		private boolean returnOfCapital(LedgerTransaction t, String in) {
			if (t.amount() == null || t.amount().signum() == 0) {
				return false;
			}
			BigDecimal returned = t.amount().abs();
			BigDecimal basis = (this.units.signum() > 0) ? this.cost.getOrDefault(in, BigDecimal.ZERO)
					: BigDecimal.ZERO;
			BigDecimal lowered = returned.min(basis.max(BigDecimal.ZERO));
			this.cost.merge(in, lowered.negate(), BigDecimal::add);
			this.realized.merge(in, returned.subtract(lowered), BigDecimal::add);
			return true;
		}

		/**
		 * Every open unit expires worthless: a long loses its basis, a short keeps its
		 * proceeds.
		 */
		private boolean expire() {
			if (this.units.signum() == 0) {
				return false;
			}
			this.cost.forEach((currency, amount) -> this.realized.merge(currency, amount.negate(), BigDecimal::add));
			this.cost.replaceAll((currency, amount) -> BigDecimal.ZERO);
			this.units = BigDecimal.ZERO;
			return true;
		}

		/**
		 * The option's side closes without a gain and its premium is carried out (to the
		 * stock, once the contract's underlying is known); the stock's side is a trade at
		 * the strike, its direction by type.
		 */
		private boolean exercise(LedgerTransaction t, BigDecimal quantity, String in) {
			if (this.multiplier.compareTo(BigDecimal.ONE) > 0) {
				if (quantity.signum() == 0 || this.units.signum() == 0) {
					this.unexplained = this.unexplained.add(quantity);
					return quantity.signum() != 0;
				}
				BigDecimal closing = quantity.min(this.units.abs());
				this.unexplained = this.unexplained.add(quantity.subtract(closing));
				close(closing).forEach((currency, amount) -> this.carried.merge(currency, amount, BigDecimal::add));
				return true;
			}
			boolean incoming = "buy".equals(t.type()) || (!"sell".equals(t.type()) && t.quantityOrZero().signum() > 0);
			return incoming ? buy(t, quantity, in, false) : sell(t, quantity, in, false);
		}

		private void open(BigDecimal signedUnits, String in, BigDecimal signedCost) {
			this.units = this.units.add(signedUnits);
			this.cost.merge(in, signedCost, BigDecimal::add);
		}

		/**
		 * Closes that many of the open units (either side), taking their share of every
		 * currency's basis.
		 */
		private Map<String, BigDecimal> close(BigDecimal quantity) {
			Map<String, BigDecimal> closed = new TreeMap<>();
			if (quantity.signum() == 0 || this.units.signum() == 0) {
				return closed;
			}
			BigDecimal open = this.units.abs();
			boolean all = quantity.compareTo(open) >= 0;
			this.cost.forEach((currency, amount) -> closed.put(currency,
					all ? amount : amount.multiply(quantity, PRECISION).divide(open, PRECISION)));
			closed.forEach((currency, amount) -> this.cost.merge(currency, amount.negate(), BigDecimal::add));
			this.units = all ? BigDecimal.ZERO
					: this.units.subtract(quantity.multiply(BigDecimal.valueOf(this.units.signum())));
			return closed;
		}

		private void realize(String in, BigDecimal cash, Map<String, BigDecimal> closed) {
			this.realized.merge(in, cash, BigDecimal::add);
			closed.forEach((currency, amount) -> this.realized.merge(currency, amount.negate(), BigDecimal::add));
		}

		private BigDecimal gross(LedgerTransaction t, BigDecimal quantity) {
			return quantity.multiply(orZero(t.price()).abs()).multiply(this.multiplier);
		}

		/** Cash paid for units coming in, fees included, by the arithmetic. */
		private BigDecimal cashPaid(LedgerTransaction t, BigDecimal quantity) {
			BigDecimal gross = gross(t, quantity);
			BigDecimal fees = orZero(t.fees()).abs();
			if (amountMissing(t, gross)) {
				return gross.add(fees);
			}
			BigDecimal amount = t.amount().abs();
			return feesOutside(amount, gross, gross.add(fees), fees) ? amount.add(fees) : amount;
		}

		/** Cash received for units going out, net of fees, by the arithmetic. */
		private BigDecimal cashReceived(LedgerTransaction t, BigDecimal quantity) {
			BigDecimal gross = gross(t, quantity);
			BigDecimal fees = orZero(t.fees()).abs();
			if (amountMissing(t, gross)) {
				return gross.subtract(fees);
			}
			BigDecimal amount = t.amount().abs();
			return feesOutside(amount, gross, gross.subtract(fees), fees) ? amount.subtract(fees) : amount;
		}

		BigDecimal realizedOwn() {
			return this.realized.getOrDefault(OWN, BigDecimal.ZERO);
		}

		private String key(LedgerTransaction t) {
			return (t.currency() == null || t.currency().equals(this.currency)) ? OWN : t.currency();
		}

		PositionBasis result(int cancelled, int unmatched) {
			BigDecimal ownCost = (this.units.signum() == 0) ? BigDecimal.ZERO
					: this.cost.getOrDefault(OWN, BigDecimal.ZERO);
			BigDecimal average = (this.units.signum() != 0)
					? ownCost.divide(this.units, PRECISION).setScale(6, RoundingMode.HALF_UP) : null;
			Map<String, PositionBasis.CurrencyBasis> others = new TreeMap<>();
			Set<String> currencies = new HashSet<>(this.cost.keySet());
			currencies.addAll(this.realized.keySet());
			currencies.remove(OWN);
			for (String other : currencies) {
				BigDecimal otherCost = (this.units.signum() == 0) ? BigDecimal.ZERO
						: this.cost.getOrDefault(other, BigDecimal.ZERO);
				others.put(other, new PositionBasis.CurrencyBasis(cents(otherCost),
						cents(this.realized.getOrDefault(other, BigDecimal.ZERO))));
			}
			return new PositionBasis(this.units.stripTrailingZeros(), cents(ownCost), average,
					cents(this.realized.getOrDefault(OWN, BigDecimal.ZERO)), this.first, this.last, this.applied,
					cancelled, unmatched, this.unexplained.stripTrailingZeros(), this.withoutBasis,
					cents(this.carried.getOrDefault(OWN, BigDecimal.ZERO)), Map.copyOf(others));
		}

	}

	/** No amount, or a zero amount against a price: the amount says nothing. */
	private static boolean amountMissing(LedgerTransaction t, BigDecimal gross) {
		return t.amount() == null || (t.amount().signum() == 0 && gross.signum() != 0);
	}

	/**
	 * The amount matches the gross without the fees, and better than it matches the gross
	 * with them.
	 */
	private static boolean feesOutside(BigDecimal amount, BigDecimal gross, BigDecimal withFees, BigDecimal fees) {
		if (fees.signum() == 0) {
			return false;
		}
		BigDecimal tolerance = CENT.add(gross.multiply(RELATIVE_TOLERANCE));
		BigDecimal fromGross = amount.subtract(gross).abs();
		return fromGross.compareTo(tolerance) <= 0 && fromGross.compareTo(amount.subtract(withFees).abs()) < 0;
	}

	private static BigDecimal share(BigDecimal amount, BigDecimal part, BigDecimal whole) {
		return (part.compareTo(whole) == 0) ? amount : amount.multiply(part, PRECISION).divide(whole, PRECISION);
	}

	private static Set<String> cancelled(List<LedgerTransaction> transactions) {
		Set<String> removed = new HashSet<>();
		List<LedgerTransaction> cancels = transactions.stream()
			.filter(LedgerTransaction::isCancel)
			.sorted(Comparator.comparing(LedgerTransaction::date).thenComparing(LedgerTransaction::id))
			.toList();
		for (LedgerTransaction cancel : cancels) {
			List<LedgerTransaction> candidates = new ArrayList<>();
			for (LedgerTransaction t : transactions) {
				if (!t.isCancel() && !removed.contains(t.id()) && !t.date().isAfter(cancel.date())
						&& t.quantityOrZero().compareTo(cancel.quantityOrZero().negate()) == 0) {
					candidates.add(t);
				}
			}
			candidates.stream()
				.max(Comparator.comparing((LedgerTransaction t) -> sameAmount(t, cancel))
					.thenComparing(LedgerTransaction::date)
					.thenComparing(LedgerTransaction::id))
				.ifPresent((original) -> {
					removed.add(original.id());
					removed.add(cancel.id());
				});
		}
		return removed;
	}

	private static boolean sameAmount(LedgerTransaction original, LedgerTransaction cancel) {
		return original.amount() != null && cancel.amount() != null
				&& original.amount().compareTo(cancel.amount().negate()) == 0;
	}

	private static BigDecimal orZero(BigDecimal value) {
		return (value != null) ? value : BigDecimal.ZERO;
	}

	private static BigDecimal cents(BigDecimal value) {
		return value.setScale(2, RoundingMode.HALF_UP);
	}

}
