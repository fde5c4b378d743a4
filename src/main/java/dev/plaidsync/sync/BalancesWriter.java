package dev.plaidsync.sync;

import java.util.List;
import java.util.Map;

import com.plaid.client.model.AccountsGetResponse;

/** Writes balances of investment accounts; a null balance never overwrites a stored one. */
class BalancesWriter extends SyncWriter<AccountsGetResponse> {

	static final String SYNCED_AT = "balances_synced_at";

	BalancesWriter(SyncStore store, SyncProperties properties, SyncItemReaders.RunScope scope, SyncProgressLog progressLog) {
		super(store, properties, SYNCED_AT, scope, progressLog);
	}

	@Override
	void writeFresh(List<FetchOutcome.Fetched<AccountsGetResponse>> fresh) {
		for (FetchOutcome.Fetched<AccountsGetResponse> outcome : fresh) {
			store().upsertInvestmentAccounts(outcome.item(), outcome.data().getAccounts(), outcome.fetchedAt());
			store().markItemSynced(outcome.item().itemId(), SYNCED_AT, outcome.fetchedAt(), Map.of());
		}
	}

}
