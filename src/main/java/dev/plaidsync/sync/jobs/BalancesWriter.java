package dev.plaidsync.sync.jobs;

import java.util.List;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.AccountsGetResponse;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.sync.pipeline.ChunkSettlement;
import dev.plaidsync.sync.pipeline.FetchOutcome;
import dev.plaidsync.sync.pipeline.InvestmentAccountUpserts;
import dev.plaidsync.sync.pipeline.SyncItemReaders;
import dev.plaidsync.sync.pipeline.SyncWriter;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;

/**
 * Writes balances of investment accounts; a null balance never overwrites a stored one.
 */
class BalancesWriter extends SyncWriter<AccountsGetResponse> {

	static final String SYNCED_AT = SyncedProduct.BALANCES.syncedAtColumn();

	private final InvestmentAccountUpserts accounts;

	private final ItemSyncMarkers itemMarkers;

	BalancesWriter(ChunkSettlement settlement, SyncProperties properties, SyncItemReaders.RunScope scope,
			SyncProgressLog progressLog, InvestmentAccountUpserts accounts, ItemSyncMarkers itemMarkers) {
		super(settlement, properties, SYNCED_AT, scope, progressLog);
		this.accounts = accounts;
		this.itemMarkers = itemMarkers;
	}

	@Override
	protected List<AccountBase> accountsIn(AccountsGetResponse data) {
		return data.getAccounts();
	}

	@Override
	protected void writeFresh(List<FetchOutcome.Fetched<AccountsGetResponse>> fresh) {
		for (FetchOutcome.Fetched<AccountsGetResponse> outcome : fresh) {
			this.accounts.upsert(outcome.item(), outcome.data().getAccounts(), outcome.fetchedAt());
			this.itemMarkers.markBalancesSynced(outcome.item().itemId(), outcome.fetchedAt());
		}
	}

}
