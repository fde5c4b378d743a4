package dev.plaidsync.ledger;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.plaid.client.model.InvestmentTransactionSubtype;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One worked example per rule of the ledger table ({@link PlaidSubtype}, docs/ledger.md),
 * each computed by hand in its comments; plain unit tests over
 * {@link CostBasisCalculator}.
 */
class LedgerRulesTests {

	private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

	private final List<LedgerTransaction> transactions = new ArrayList<>();

	@Test
	void everyPlaidSubtypeHasARuleForEachOfItsTypesInCodeAndInTheDocs() throws IOException {
		List<String> plaid = Arrays.stream(InvestmentTransactionSubtype.values())
			.map(InvestmentTransactionSubtype::getValue)
			.toList();
		assertThat(plaid).hasSize(49);
		assertThat(Arrays.stream(PlaidSubtype.values()).map(PlaidSubtype::value))
			.containsExactlyInAnyOrderElementsOf(plaid);
		String docs = Files.readString(Path.of("docs/ledger.md"));
		for (PlaidSubtype subtype : PlaidSubtype.values()) {
			assertThat(subtype.byType().isEmpty()).as(subtype.value()).isEqualTo(subtype == PlaidSubtype.ENUM_UNKNOWN);
			subtype.byType().forEach((type, rule) -> {
				assertThat(PlaidSubtype.ruleOf(type, subtype.value())).isEqualTo(rule);
				assertThat(docs).as("docs/ledger.md row for %s under %s", subtype.value(), type)
					.contains("| `" + subtype.value() + "` | `" + type + "` | " + rule.name() + " |");
			});
		}
		for (LedgerRule rule : LedgerRule.values()) {
			LedgerRule.Effect effect = rule.effect();
			assertThat(docs).as("docs/ledger.md effect of %s", rule)
				.contains("| " + rule.name() + " | " + effect.units() + " | " + effect.basis() + " | "
						+ effect.realizedGain() + " | " + effect.cash() + " |");
		}
	}

	@Test
	void aSubtypeOrTypePlaidAddsLaterFallsBackOnTheTypeAlone() {
		assertThat(PlaidSubtype.ruleOf("buy", "something new")).isEqualTo(LedgerRule.BUY);
		assertThat(PlaidSubtype.ruleOf("sell", null)).isEqualTo(LedgerRule.SELL);
		assertThat(PlaidSubtype.ruleOf("transfer", "buy")).isEqualTo(LedgerRule.TRANSFER);
		assertThat(PlaidSubtype.ruleOf("cash", "sell")).isEqualTo(LedgerRule.CASH);
		assertThat(PlaidSubtype.ruleOf("cancel", "buy")).isEqualTo(LedgerRule.CANCEL);
		assertThat(PlaidSubtype.ruleOf("sell", "ENUM_UNKNOWN")).isEqualTo(LedgerRule.SELL);
		assertThat(PlaidSubtype.ruleOf("fee", "ENUM_UNKNOWN")).isEqualTo(LedgerRule.FEE);
	}

	@Test
	void feesOutsideTheAmountAsInPlaidsOwnSpecExampleAreAdded() {
		add(0, "buy", "buy", "0.7388", "7.70", "10.42", "7.99");
		// 0.7388 × 10.42 = 7.698296 ≈ 7.70 = amount, so the 7.99 fees are outside it:
		// 7.70 + 7.99 = 15.69 paid
		// average 15.69 / 0.7388 = 21.237141…
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("15.69"));
		assertThat(basis.averageCost()).isEqualByComparingTo("21.237141");
	}

	@Test
	void feesInsideTheAmountAreNotAddedTwice() {
		add(0, "buy", "buy", "10", "1005.00", "100", "5");
		// 10 × 100 = 1,000.00; amount 1,005.00 = 1,000.00 + 5.00: the fees are in it,
		// 1,005.00 paid
		add(1, "sell", "sell", "-4", "-395.00", "100", "5");
		// 4 × 100 = 400.00; |amount| 395.00 = 400.00 − 5.00: net 395.00; 4 × 100.50 =
		// 402.00 leaves: realized −7.00
		add(2, "sell", "sell", "-2", "-220.00", "110", "3");
		// 2 × 110 = 220.00 = |amount|: the 3.00 fees are outside it, net 217.00; 2 ×
		// 100.50 = 201.00: realized 16.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("4");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("402.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("9.00"));
	}

	@Test
	void aSellWithAPositiveQuantityStillSells() {
		add(0, "buy", "buy", "10", "200.00", "20", "0");
		add(1, "sell", "sell", "4", "-100.00", "25", "0");
		// the institution sent +4: the type says sell. 4 × 20 = 80.00 leaves, proceeds
		// 100.00: realized 20.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("6");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("120.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("20.00"));
		assertThat(basis.unexplainedQuantity()).isEqualByComparingTo("0");
	}

	@Test
	void aDaysTradesApplyInTheOrderOfTheirTransactionDatetime() {
		add(0, "buy", "buy", "10", "100.00", "10", "0");
		this.transactions.add(new LedgerTransaction("a-buy", DAY.plusDays(1), at(15), "buy", "buy",
				new BigDecimal("10"), new BigDecimal("110.00"), new BigDecimal("11"), BigDecimal.ZERO, null));
		this.transactions.add(new LedgerTransaction("b-sell", DAY.plusDays(1), at(10), "sell", "sell",
				new BigDecimal("-10"), new BigDecimal("-120.00"), new BigDecimal("12"), BigDecimal.ZERO, null));
		// 10:00 sell first: 10 × 10 = 100.00 leaves, realized 120.00 − 100.00 = 20.00;
		// then 15:00 buy 10 for 110.00.
		// (Without times the buy would go first: 20 units at 10.50, realized 120.00 −
		// 105.00 = 15.00, cost 105.00.)
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("20.00"));
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("110.00"));
		assertThat(basis.openQuantity()).isEqualByComparingTo("10");
	}

	@Test
	void aShortSaleGoesBelowZeroAndRealizesOnCover() {
		add(0, "sell", "sell short", "10", "-500.00", "50", "0");
		// short 10 for 500.00: open −10, basis −500.00, 50.00 a unit
		PositionBasis opened = CostBasisCalculator.basis(this.transactions);
		assertThat(opened.openQuantity()).isEqualByComparingTo("-10");
		assertThat(opened.costBasis()).isEqualTo(new BigDecimal("-500.00"));
		assertThat(opened.averageCost()).isEqualByComparingTo("50");
		assertThat(opened.realizedGain()).isEqualTo(new BigDecimal("0.00"));

		add(1, "buy", "buy to cover", "4", "160.00", "40", "0");
		// cover 4 at 40: their share of the proceeds 4/10 × 500.00 = 200.00, paid 160.00:
		// realized 40.00
		add(2, "buy", "buy to cover", "6", "330.00", "55", "0");
		// cover 6 at 55: proceeds still open 300.00, paid 330.00: realized −30.00; total
		// 10.00, flat
		PositionBasis covered = CostBasisCalculator.basis(this.transactions);

		assertThat(covered.openQuantity()).isEqualByComparingTo("0");
		assertThat(covered.costBasis()).isEqualTo(new BigDecimal("0.00"));
		assertThat(covered.realizedGain()).isEqualTo(new BigDecimal("10.00"));
		assertThat(covered.averageCost()).isNull();
	}

	@Test
	void aCoverBeyondTheShortIsUnexplainedAndOpensNoLong() {
		add(0, "sell", "sell short", "-2", "-100.00", "50", "0");
		add(1, "buy", "buy to cover", "5", "225.00", "45", "0");
		// 2 of the 5 were shorted in the window: paid 2/5 × 225.00 = 90.00 against
		// 100.00: realized 10.00; 3 unexplained
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("0");
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("10.00"));
		assertThat(basis.unexplainedQuantity()).isEqualByComparingTo("3");
		assertThat(basis.basisKnown()).isFalse();
	}

	@Test
	void aReturnOfCapitalLowersTheBasisAndRealizesWhatExceedsIt() {
		add(0, "buy", "buy", "100", "1000.00", "10", "0");
		add(1, "cash", "return of principal", "0", "-150.00", "0", "0");
		// 1,000.00 − 150.00 = 850.00 for the same 100 units, 8.50 each; nothing realized
		PositionBasis lowered = CostBasisCalculator.basis(this.transactions);
		assertThat(lowered.openQuantity()).isEqualByComparingTo("100");
		assertThat(lowered.costBasis()).isEqualTo(new BigDecimal("850.00"));
		assertThat(lowered.averageCost()).isEqualByComparingTo("8.5");
		assertThat(lowered.realizedGain()).isEqualTo(new BigDecimal("0.00"));

		add(2, "cash", "return of principal", "0", "-900.00", "0", "0");
		// 900.00 against a basis of 850.00: basis to 0.00, the 50.00 beyond it is a gain
		PositionBasis beyond = CostBasisCalculator.basis(this.transactions);
		assertThat(beyond.costBasis()).isEqualTo(new BigDecimal("0.00"));
		assertThat(beyond.realizedGain()).isEqualTo(new BigDecimal("50.00"));
	}

	@Test
	void aReturnOfPrincipalWithUnitsIsARedemption() {
		add(0, "buy", "buy", "5", "4900.00", "980", "0");
		add(1, "cash", "return of principal", "-2", "-2000.00", "1000", "0");
		// 2 bonds redeemed at 1,000: 2 × 980 = 1,960.00 leaves, realized 40.00; 3 cost
		// 2,940.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("3");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("2940.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("40.00"));
	}

	@Test
	void anInKindDistributionMovesUnitsOutWithoutALoss() {
		add(0, "buy", "buy", "10", "300.00", "30", "0");
		add(1, "sell", "distribution", "4", "0", "31", "0");
		// 4 units leave the account in kind: 4 × 30 = 120.00 of basis goes with them,
		// nothing realized
		// (read as a sale with no proceeds it would book a 120.00 loss)
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("6");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("180.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("0.00"));
	}

	@Test
	void aTransferInValuedAtMarketIsIncompleteAndRaisesNoMismatch() {
		add(0, "transfer", "transfer", "20", "0", "75", "0");
		// 20 units come in; Plaid sends their market value 20 × 75 = 1,500.00, not their
		// carried-over basis
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);
		CostBasis costBasis = new CostBasis(properties(), null, null);
		CostBasis.Comparison comparison = costBasis.compare(basis, new BigDecimal("20"), new BigDecimal("1100.00"));

		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("1500.00"));
		assertThat(basis.transfersWithoutBasis()).isEqualTo(1);
		assertThat(comparison.complete()).isFalse();
		assertThat(comparison.difference()).isEqualByComparingTo("400.00");
		assertThat(comparison.mismatch()).isFalse();
	}

	@Test
	void aCompletePositionApartFromPlaidsIsAMismatch() {
		add(0, "buy", "buy", "20", "1500.00", "75", "0");
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);
		CostBasis.Comparison comparison = new CostBasis(properties(), null, null).compare(basis, new BigDecimal("20"),
				new BigDecimal("1100.00"));
		// 1,500.00 − 1,100.00 = 400.00, beyond 1.00 and 0.5 % of 1,100.00 (5.50)
		assertThat(comparison.complete()).isTrue();
		assertThat(comparison.mismatch()).isTrue();
	}

	@Test
	void everyCurrencyKeepsItsOwnBasisAndNoneIsAddedIntoAnother() {
		add(0, "buy", "buy", "10", "1000.00", "100", "0");
		this.transactions.add(new LedgerTransaction("cad", DAY.plusDays(1), null, "buy", "buy", new BigDecimal("10"),
				new BigDecimal("1300.00"), new BigDecimal("130"), BigDecimal.ZERO, "CAD"));
		// 20 units: USD 1,000.00 and CAD 1,300.00, never 2,300.00
		add(2, "sell", "sell", "-5", "-600.00", "120", "0");
		// 5 of 20 close: a quarter of each basis, USD 250.00 and CAD 325.00; proceeds USD
		// 600.00
		// USD: realized 600.00 − 250.00 = 350.00, basis 750.00; CAD: realized −325.00,
		// basis 975.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions, "USD", BigDecimal.ONE);

		assertThat(basis.openQuantity()).isEqualByComparingTo("15");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("750.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("350.00"));
		assertThat(basis.otherCurrencies()).isEqualTo(
				Map.of("CAD", new PositionBasis.CurrencyBasis(new BigDecimal("975.00"), new BigDecimal("-325.00"))));
		assertThat(basis.basisKnown()).isFalse();
	}

	@Test
	void aLongOptionThatExpiresRealizesItsPremiumAsALoss() {
		add(0, "buy", "buy", "2", "700.00", "3.50", "1.30");
		// 2 contracts × 3.50 × 100 = 700.00 = amount: fees outside, 701.30 paid
		add(1, "transfer", "expire", "-2", "0", "0", "0");
		// expires worthless: realized −701.30
		PositionBasis basis = CostBasisCalculator.basis(this.transactions, null, CostBasisCalculator.OPTION_MULTIPLIER);

		assertThat(basis.openQuantity()).isEqualByComparingTo("0");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("0.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("-701.30"));
	}

	@Test
	void aWrittenOptionThatExpiresKeepsItsPremium() {
		add(0, "sell", "sell short", "1", "-200.00", "2.00", "0.65");
		// 1 × 2.00 × 100 = 200.00 = |amount|: fees outside, 199.35 received; open −1,
		// basis −199.35
		add(1, "transfer", "expire", "1", "0", "0", "0");
		// expires: the 199.35 is a gain
		PositionBasis basis = CostBasisCalculator.basis(this.transactions, null, CostBasisCalculator.OPTION_MULTIPLIER);

		assertThat(basis.openQuantity()).isEqualByComparingTo("0");
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("199.35"));
	}

	@Test
	void anExercisedOptionCarriesItsPremiumOutAndItsStockLegIsABuyAtTheStrike() {
		add(0, "buy", "buy", "1", "500.00", "5.00", "0");
		// 1 call × 5.00 × 100 = 500.00 premium
		add(1, "transfer", "exercise", "-1", "0", "0", "0");
		// exercised: the option closes, nothing realized, 500.00 carried out (to the
		// stock, once the contract is known)
		PositionBasis option = CostBasisCalculator.basis(this.transactions, null,
				CostBasisCalculator.OPTION_MULTIPLIER);
		assertThat(option.openQuantity()).isEqualByComparingTo("0");
		assertThat(option.realizedGain()).isEqualTo(new BigDecimal("0.00"));
		assertThat(option.basisCarriedOut()).isEqualTo(new BigDecimal("500.00"));

		this.transactions.clear();
		add(1, "buy", "exercise", "100", "5000.00", "50", "0");
		// the stock leg: 100 shares bought at the 50.00 strike, 5,000.00
		PositionBasis stock = CostBasisCalculator.basis(this.transactions);
		assertThat(stock.openQuantity()).isEqualByComparingTo("100");
		assertThat(stock.costBasis()).isEqualTo(new BigDecimal("5000.00"));
	}

	@Test
	void anAssignedWrittenPutCarriesThePremiumReceivedOut() {
		add(0, "sell", "sell short", "-1", "-200.00", "2.00", "0");
		// written put: open −1, basis −200.00
		add(1, "transfer", "assignment", "1", "0", "0", "0");
		// assigned: the short closes without a gain; −200.00 carried out (it lowers the
		// stock's basis)
		PositionBasis basis = CostBasisCalculator.basis(this.transactions, null, CostBasisCalculator.OPTION_MULTIPLIER);

		assertThat(basis.openQuantity()).isEqualByComparingTo("0");
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("0.00"));
		assertThat(basis.basisCarriedOut()).isEqualTo(new BigDecimal("-200.00"));
	}

	@Test
	void aReverseSplitChangesUnitsNotCost() {
		add(0, "buy", "buy", "100", "1000.00", "10", "0");
		add(1, "transfer", "split", "-90", "0", "0", "0");
		// 1-for-10: 10 units still cost 1,000.00, 100.00 each
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("10");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("1000.00"));
		assertThat(basis.averageCost()).isEqualByComparingTo("100");
	}

	@Test
	void aStockDistributionAddsUnitsAtNoCost() {
		add(0, "buy", "buy", "100", "1000.00", "10", "0");
		add(1, "cash", "stock distribution", "5", "0", "0", "0");
		// 5 % in stock: 105 units for 1,000.00, 9.523810 each
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("105");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("1000.00"));
		assertThat(basis.averageCost()).isEqualByComparingTo("9.523810");
	}

	@Test
	void aMergerCarriesTheOldBasisOutAndTheNewSecurityIsIncomplete() {
		add(0, "buy", "buy", "10", "500.00", "50", "0");
		add(1, "transfer", "merger", "-10", "0", "0", "0");
		// the old shares leave: 500.00 carried out, nothing realized
		PositionBasis old = CostBasisCalculator.basis(this.transactions);
		assertThat(old.openQuantity()).isEqualByComparingTo("0");
		assertThat(old.realizedGain()).isEqualTo(new BigDecimal("0.00"));
		assertThat(old.basisCarriedOut()).isEqualTo(new BigDecimal("500.00"));

		this.transactions.clear();
		add(1, "transfer", "merger", "15", "0", "40", "0");
		// 15 new shares at the market's 40.00 (600.00): not their basis, so the position
		// is incomplete
		PositionBasis received = CostBasisCalculator.basis(this.transactions);
		assertThat(received.costBasis()).isEqualTo(new BigDecimal("600.00"));
		assertThat(received.basisKnown()).isFalse();
	}

	@Test
	void aSpinOffArrivesWithoutABasis() {
		add(0, "transfer", "spin off", "5", "0", "20", "0");
		// 5 × 20 = 100.00 at market, basis unknown
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("5");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("100.00"));
		assertThat(basis.transfersWithoutBasis()).isEqualTo(1);
	}

	@Test
	void incomeAndCashOnlyTransactionsLeaveThePositionAlone() {
		add(0, "buy", "buy", "10", "100.00", "10", "0");
		add(1, "cash", "qualified dividend", "0", "-4.00", "0", "0");
		add(2, "cash", "long-term capital gain", "0", "-2.50", "0", "0");
		add(3, "fee", "management fee", "0", "1.25", "0", "0");
		add(4, "cash", "tax withheld", "0", "0.60", "0", "0");
		// none moves units or basis: 10 units, 100.00, nothing realized (income is not a
		// gain)
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("10");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("100.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("0.00"));
		assertThat(basis.applied()).isEqualTo(1);
	}

	@Test
	void aTransferOutLeavesAtAverageCostWhicheverSignItCarries() {
		add(0, "buy", "buy", "4", "100.00", "25", "0");
		add(1, "transfer", "send", "-1", "0", "0", "0");
		// 1 × 25 = 25.00 leaves, nothing realized: 3 units, 75.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("3");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("75.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("0.00"));
	}

	private static LedgerProperties properties() {
		return new LedgerProperties(new BigDecimal("1.00"), new BigDecimal("0.005"), new BigDecimal("0.0001"),
				Duration.ofDays(35), Duration.ofSeconds(30), 3);
	}

	private static OffsetDateTime at(int hour) {
		return DAY.plusDays(1).atTime(hour, 0).atOffset(ZoneOffset.ofHours(-5));
	}

	private void add(int day, String type, String subtype, String quantity, String amount, String price, String fees) {
		this.transactions.add(new LedgerTransaction("t" + this.transactions.size(), DAY.plusDays(day), type, subtype,
				new BigDecimal(quantity), new BigDecimal(amount), new BigDecimal(price), new BigDecimal(fees)));
	}

}
