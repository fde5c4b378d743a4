package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.Holding;
import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Writes holdings snapshots: securities upserted, investment accounts upserted with balances, vanished accounts
 * deactivated, and each present account's holdings replaced as a set (holdings have no id of their own, and a
 * security id can change after a corporate action). An account that drops from holdings to none while its balance
 * is still well above zero keeps its rows, is flagged, and is retried by the next run.
 */
class HoldingsWriter extends SyncWriter<InvestmentsHoldingsGetResponse> {

	static final String SYNCED_AT = "holdings_synced_at";

	private static final Logger log = LoggerFactory.getLogger(HoldingsWriter.class);

	private final HoldingsHistory history;

	HoldingsWriter(SyncStore store, SyncProperties properties, SyncItemReaders.RunScope scope, SyncProgressLog progressLog,
			HoldingsHistory history) {
		super(store, properties, SYNCED_AT, scope, progressLog);
		this.history = history;
	}

	@Override
	void writeFresh(List<FetchOutcome.Fetched<InvestmentsHoldingsGetResponse>> fresh) {
		store().upsertSecurities(fresh.stream().flatMap((outcome) -> outcome.data().getSecurities().stream()).toList());
		List<String> replacedAccounts = new ArrayList<>();
		List<SqlParameterSource> holdingRows = new ArrayList<>();
		for (FetchOutcome.Fetched<InvestmentsHoldingsGetResponse> outcome : fresh) {
			SyncItem item = outcome.item();
			InvestmentsHoldingsGetResponse response = outcome.data();
			Set<String> present = store().upsertInvestmentAccounts(item, response.getAccounts(), outcome.fetchedAt());
			int deactivated = store().deactivateMissingAccounts(item.itemId(), present);
			if (deactivated > 0) {
				log.info("Item {}: {} account(s) missing from Plaid's response are now inactive", item.itemId(), deactivated);
			}
			Map<String, List<Holding>> byAccount = response.getHoldings().stream()
				.filter((holding) -> present.contains(holding.getAccountId()))
				.collect(Collectors.groupingBy(Holding::getAccountId, TreeMap::new, Collectors.toList()));
			boolean glitch = false;
			for (AccountBase account : response.getAccounts()) {
				if (!present.contains(account.getAccountId())) {
					continue;
				}
				List<Holding> holdings = byAccount.getOrDefault(account.getAccountId(), List.of());
				if (holdings.isEmpty() && looksLikeAGlitch(account)) {
					glitch = true;
					continue;
				}
				replacedAccounts.add(account.getAccountId());
				merged(holdings).forEach((holding) -> holdingRows.add(row(item, holding, outcome)));
			}
			if (glitch) {
				store().jdbc().sql("""
						UPDATE plaid_items SET last_error_code = 'HOLDINGS_GLITCH', last_error_at = now(),
						    last_error_message = 'An account lost all its holdings while its balance stayed high; kept the stored ones and will retry'
						WHERE item_id = :itemId
						""").param("itemId", item.itemId()).update();
				continue;
			}
			store().markItemSynced(item.itemId(), SYNCED_AT, outcome.fetchedAt(), itemColumns(response));
		}
		if (!replacedAccounts.isEmpty()) {
			store().jdbc().sql("DELETE FROM holdings WHERE account_id = ANY (:accounts)")
				.param("accounts", replacedAccounts.toArray(String[]::new))
				.update();
			store().jdbc().sql("UPDATE user_investment_accounts SET holdings_suspect = false WHERE account_id = ANY (:accounts) AND holdings_suspect")
				.param("accounts", replacedAccounts.toArray(String[]::new))
				.update();
		}
		if (!holdingRows.isEmpty()) {
			store().named().batchUpdate("""
					INSERT INTO holdings (account_id, item_id, user_id, security_id, quantity, institution_price,
					    institution_price_as_of, institution_value, cost_basis, iso_currency_code, unofficial_currency_code,
					    vested_quantity, vested_value, synced_at)
					VALUES (:accountId, :itemId, :userId, :securityId, :quantity, :price, :priceAsOf, :value, :costBasis,
					    :iso, :unofficial, :vestedQuantity, :vestedValue, :syncedAt)
					""", holdingRows.toArray(SqlParameterSource[]::new));
		}
		this.history.recordDay(replacedAccounts);
	}

	private boolean looksLikeAGlitch(AccountBase account) {
		Double current = account.getBalances().getCurrent();
		if (current == null || BigDecimal.valueOf(current).compareTo(properties().holdingsGlitchMinimumBalance()) <= 0) {
			return false;
		}
		Integer stored = store().jdbc().sql("SELECT count(*) FROM holdings WHERE account_id = :accountId")
			.param("accountId", account.getAccountId())
			.query(Integer.class)
			.single();
		if (stored == 0) {
			return false;
		}
		store().jdbc().sql("UPDATE user_investment_accounts SET holdings_suspect = true, sync_status = 'error', "
				+ "sync_error = 'HOLDINGS_GLITCH' WHERE account_id = :accountId")
			.param("accountId", account.getAccountId())
			.update();
		log.warn("Account {} dropped from {} holdings to none while its balance is {}: kept its holdings, will retry",
				account.getAccountId(), stored, current);
		return true;
	}

	private static Map<String, Object> itemColumns(InvestmentsHoldingsGetResponse response) {
		Map<String, Object> columns = new HashMap<>();
		LocalDate newestPrice = response.getHoldings().stream()
			.map(Holding::getInstitutionPriceAsOf)
			.filter(Objects::nonNull)
			.max(LocalDate::compareTo)
			.orElse(null);
		columns.put("holdings_as_of", (newestPrice != null) ? newestPrice.atStartOfDay().atOffset(ZoneOffset.UTC) : null);
		columns.put("is_investments_fallback_item", Boolean.TRUE.equals(response.getIsInvestmentsFallbackItem()));
		return columns;
	}

	/** Plaid reports one holding per account and security; should it ever send two, they are one position. */
	private static List<Holding> merged(List<Holding> holdings) {
		Map<String, Holding> bySecurity = new LinkedHashMap<>();
		for (Holding holding : holdings) {
			bySecurity.merge(holding.getSecurityId(), holding, (first, second) -> new Holding()
				.accountId(first.getAccountId())
				.securityId(first.getSecurityId())
				.quantity(sum(first.getQuantity(), second.getQuantity()))
				.institutionPrice(first.getInstitutionPrice())
				.institutionPriceAsOf(first.getInstitutionPriceAsOf())
				.institutionValue(sum(first.getInstitutionValue(), second.getInstitutionValue()))
				.costBasis((first.getCostBasis() != null && second.getCostBasis() != null)
						? first.getCostBasis() + second.getCostBasis() : null)
				.isoCurrencyCode(first.getIsoCurrencyCode())
				.unofficialCurrencyCode(first.getUnofficialCurrencyCode())
				.vestedQuantity(first.getVestedQuantity())
				.vestedValue(first.getVestedValue()));
		}
		return new ArrayList<>(bySecurity.values());
	}

	private static Double sum(Double first, Double second) {
		return (first == null) ? second : (second == null) ? first : first + second;
	}

	private static SqlParameterSource row(SyncItem item, Holding holding,
			FetchOutcome.Fetched<InvestmentsHoldingsGetResponse> outcome) {
		return new MapSqlParameterSource().addValue("accountId", holding.getAccountId())
			.addValue("itemId", item.itemId())
			.addValue("userId", item.userId())
			.addValue("securityId", holding.getSecurityId())
			.addValue("quantity", SyncStore.decimal(holding.getQuantity()))
			.addValue("price", SyncStore.decimal(holding.getInstitutionPrice()))
			.addValue("priceAsOf", holding.getInstitutionPriceAsOf())
			.addValue("value", SyncStore.decimal(holding.getInstitutionValue()))
			.addValue("costBasis", SyncStore.decimal(holding.getCostBasis()))
			.addValue("iso", holding.getIsoCurrencyCode())
			.addValue("unofficial", holding.getUnofficialCurrencyCode())
			.addValue("vestedQuantity", SyncStore.decimal(holding.getVestedQuantity()))
			.addValue("vestedValue", SyncStore.decimal(holding.getVestedValue()))
			.addValue("syncedAt", SyncStore.timestamp(outcome.fetchedAt()));
	}

}
