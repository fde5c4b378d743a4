package dev.plaidsync.sync;

import java.util.List;

import com.plaid.client.model.AccountsGetResponse;
import dev.plaidsync.items.SyncedProduct;

/** Writes balances of investment accounts; a null balance never overwrites a stored one. */
class BalancesWriter extends SyncWriter<AccountsGetResponse> {

	static final String SYNCED_AT = SyncedProduct.BALANCES.syncedAtColumn();

	BalancesWriter(SyncStore store, SyncProperties properties, SyncItemReaders.RunScope scope, SyncProgressLog progressLog) {
		super(store, properties, SYNCED_AT, scope, progressLog);
	}

	@Override
	void writeFresh(List<FetchOutcome.Fetched<AccountsGetResponse>> fresh) {
		for (FetchOutcome.Fetched<AccountsGetResponse> outcome : fresh) {
			store().upsertInvestmentAccounts(outcome.item(), outcome.data().getAccounts(), outcome.fetchedAt());
			store().itemMarkers().markBalancesSynced(outcome.item().itemId(), outcome.fetchedAt());
		}
	}

}
