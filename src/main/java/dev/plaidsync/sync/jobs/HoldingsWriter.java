package dev.plaidsync.sync.jobs;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import dev.plaidsync.common.LogContext;
import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.sync.pipeline.ChunkSettlement;
import dev.plaidsync.sync.pipeline.FetchOutcome;
import dev.plaidsync.sync.pipeline.InvestmentAccountUpserts;
import dev.plaidsync.sync.pipeline.PlaidDecimals;
import dev.plaidsync.sync.pipeline.SecurityUpserts;
import dev.plaidsync.sync.pipeline.SyncItem;
import dev.plaidsync.sync.pipeline.SyncItemReaders;
import dev.plaidsync.sync.pipeline.SyncWriter;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes holdings snapshots: securities upserted, investment accounts upserted with
 * balances, vanished accounts deactivated, and each present account's holdings replaced
 * as a set (holdings have no id of their own, and a security id can change after a
 * corporate action). An account that drops from holdings to none while its balance is
 * still well above zero keeps its rows, is flagged, and is retried by the next run.
 */
class HoldingsWriter extends SyncWriter<InvestmentsHoldingsGetResponse> {

	static final String SYNCED_AT = SyncedProduct.HOLDINGS.syncedAtColumn();

	private static final Logger log = LoggerFactory.getLogger(HoldingsWriter.class);

	private final SyncProperties properties;

	private final SecurityUpserts securities;

	private final InvestmentAccountUpserts accounts;

	private final HoldingsTable holdings;

	private final ItemSyncMarkers itemMarkers;

	private final AccountSyncRecords accountRecords;

	private final HoldingsHistory history;

	HoldingsWriter(ChunkSettlement settlement, SyncProperties properties, SyncItemReaders.RunScope scope,
			SyncProgressLog progressLog, SecurityUpserts securities, InvestmentAccountUpserts accounts,
			HoldingsTable holdings, ItemSyncMarkers itemMarkers, AccountSyncRecords accountRecords,
			HoldingsHistory history) {
		super(settlement, properties, SYNCED_AT, scope, progressLog);
		this.properties = properties;
		this.securities = securities;
		this.accounts = accounts;
		this.holdings = holdings;
		this.itemMarkers = itemMarkers;
		this.accountRecords = accountRecords;
		this.history = history;
	}

	/**
	 * A chunk's holdings in a fixed number of statements, whatever its size: accounts
	 * upserted in one batch, missing ones deactivated in one statement, items marked
	 * synced in one batch, holdings replaced by one delete and one COPY.
	 */
	@Override
	protected List<AccountBase> accountsIn(InvestmentsHoldingsGetResponse data) {
		return data.getAccounts();
	}

	@Override
	protected void writeFresh(List<FetchOutcome.Fetched<InvestmentsHoldingsGetResponse>> fresh) {
		this.securities.upsert(fresh.stream().flatMap((outcome) -> outcome.data().getSecurities().stream()).toList());
		Map<String, Set<String>> presentByItem = this.accounts.upsert(fresh.stream()
			.map((outcome) -> new InvestmentAccountUpserts.ItemAccounts(outcome.item(), outcome.data().getAccounts(),
					outcome.fetchedAt()))
			.toList());
		int deactivated = this.accounts.deactivateMissing(
				fresh.stream().map((outcome) -> outcome.item().itemId()).toList(),
				presentByItem.values().stream().flatMap(Set::stream).toList());
		if (deactivated > 0) {
			log.info("{} account(s) missing from Plaid's responses are now inactive", deactivated);
		}
		List<String> replacedAccounts = new ArrayList<>();
		Map<String, LocalDate> marketDays = new LinkedHashMap<>();
		List<HoldingsTable.HoldingRow> holdingRows = new ArrayList<>();
		List<ItemSyncMarkers.HoldingsSynced> synced = new ArrayList<>();
		for (FetchOutcome.Fetched<InvestmentsHoldingsGetResponse> outcome : fresh) {
			try (LogContext.Scope ids = outcome.item().logContext()) {
				SyncItem item = outcome.item();
				InvestmentsHoldingsGetResponse response = outcome.data();
				Set<String> present = presentByItem.getOrDefault(item.itemId(), Set.of());
				Map<String, List<Holding>> byAccount = response.getHoldings()
					.stream()
					.filter((holding) -> present.contains(holding.getAccountId()))
					.collect(Collectors.groupingBy(Holding::getAccountId, TreeMap::new, Collectors.toList()));
				boolean glitch = false;
				LocalDate marketDay = MarketDay.of(
						response.getHoldings().stream().map(Holding::getInstitutionPriceAsOf).toList(),
						outcome.fetchedAt(), this.history.marketZone());
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
					marketDays.put(account.getAccountId(), marketDay);
					merged(holdings).forEach((holding) -> holdingRows.add(row(item, holding, outcome)));
				}
				if (glitch) {
					this.itemMarkers.holdingsGlitch(item.itemId());
					continue;
				}
				synced.add(synced(outcome));
			}
		}
		this.itemMarkers.markHoldingsSynced(synced);
		if (!replacedAccounts.isEmpty()) {
			this.holdings.delete(replacedAccounts);
			this.accountRecords.holdingsWritten(replacedAccounts);
		}
		this.holdings.copy(holdingRows);
		this.history.recordDay(marketDays);
	}

	private boolean looksLikeAGlitch(AccountBase account) {
		BigDecimal current = PlaidDecimals.of(account.getBalances().getCurrent());
		if (current == null || current.compareTo(this.properties.holdingsGlitchMinimumBalance()) <= 0) {
			return false;
		}
		int stored = this.holdings.count(account.getAccountId());
		if (stored == 0) {
			return false;
		}
		this.accountRecords.holdingsSuspect(account.getAccountId());
		log.warn("Account {} dropped from {} holdings to none while its balance is {}: kept its holdings, will retry",
				account.getAccountId(), stored, current);
		return true;
	}

	private static ItemSyncMarkers.HoldingsSynced synced(FetchOutcome.Fetched<InvestmentsHoldingsGetResponse> outcome) {
		InvestmentsHoldingsGetResponse response = outcome.data();
		LocalDate newestPrice = response.getHoldings()
			.stream()
			.map(Holding::getInstitutionPriceAsOf)
			.filter(Objects::nonNull)
			.max(LocalDate::compareTo)
			.orElse(null);
		return new ItemSyncMarkers.HoldingsSynced(outcome.item().itemId(), outcome.fetchedAt(),
				(newestPrice != null) ? newestPrice.atStartOfDay().atOffset(ZoneOffset.UTC) : null,
				Boolean.TRUE.equals(response.getIsInvestmentsFallbackItem()));
	}

	/**
	 * Plaid reports one holding per account and security; should it ever send two, they
	 * are one position: quantities and values added in decimal, a cost basis only when
	 * both have one.
	 */
	private static List<Position> merged(List<Holding> holdings) {
		Map<String, Position> bySecurity = new LinkedHashMap<>();
		for (Holding holding : holdings) {
			bySecurity.merge(holding.getSecurityId(), Position.of(holding), Position::plus);
		}
		return new ArrayList<>(bySecurity.values());
	}

	private static BigDecimal sum(BigDecimal first, BigDecimal second) {
		return (first == null) ? second : (second == null) ? first : first.add(second);
	}

	/** One holding in decimal, as stored. */
	private record Position(Holding holding, BigDecimal quantity, BigDecimal value, BigDecimal costBasis) {

		static Position of(Holding holding) {
			return new Position(holding, PlaidDecimals.of(holding.getQuantity()),
					PlaidDecimals.of(holding.getInstitutionValue()), PlaidDecimals.of(holding.getCostBasis()));
		}

		Position plus(Position other) {
			return new Position(this.holding, sum(this.quantity, other.quantity), sum(this.value, other.value),
					(this.costBasis != null && other.costBasis != null) ? this.costBasis.add(other.costBasis) : null);
		}

	}

	private static HoldingsTable.HoldingRow row(SyncItem item, Position position,
			FetchOutcome.Fetched<InvestmentsHoldingsGetResponse> outcome) {
		Holding holding = position.holding();
		return new HoldingsTable.HoldingRow(holding.getAccountId(), item.itemId(), item.userId(),
				holding.getSecurityId(), position.quantity(), PlaidDecimals.of(holding.getInstitutionPrice()),
				holding.getInstitutionPriceAsOf(), holding.getInstitutionPriceDatetime(), position.value(),
				position.costBasis(), holding.getIsoCurrencyCode(), holding.getUnofficialCurrencyCode(),
				PlaidDecimals.of(holding.getVestedQuantity()), PlaidDecimals.of(holding.getVestedValue()),
				outcome.fetchedAt());
	}

}
