package dev.plaidsync.items;

import java.time.OffsetDateTime;
import java.util.Optional;

import com.plaid.client.model.ItemGetResponse;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;

import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * How fresh Plaid's own data for an Item is, and a way to ask Plaid for fresher data.
 * Without {@code /investments/refresh} Plaid extracts investments once or more a day, so
 * a sync only re-reads Plaid's latest extraction; this says as of when that is.
 */
@NamedInterface("users")
@Component
public class ItemFreshness {

	private final PlaidGateway plaid;

	private final ItemCredentials credentials;

	ItemFreshness(PlaidGateway plaid, ItemCredentials credentials) {
		this.plaid = plaid;
		this.credentials = credentials;
	}

	/**
	 * {@code /item/get} status.investments.last_successful_update: when Plaid last
	 * extracted the Item's data.
	 * @throws PlaidRequestFailed when Plaid cannot say
	 */
	public Optional<OffsetDateTime> plaidDataAsOf(String itemId) {
		ItemGetResponse item;
		try {
			item = this.plaid.item(this.credentials.find(itemId).orElseThrow(), CallPriority.INTERACTIVE);
		}
		catch (PlaidFailure failure) {
			throw PlaidRequestFailed.of(failure);
		}
		if (item.getStatus() == null || item.getStatus().getInvestments() == null) {
			return Optional.empty();
		}
		return Optional.ofNullable(item.getStatus().getInvestments().getLastSuccessfulUpdate());
	}

	/**
	 * Asks Plaid to extract fresh investments data now (a billed add-on; the results
	 * arrive by DEFAULT_UPDATE webhooks). Never throws for Plaid's answer: some
	 * institutions answer PRODUCT_NOT_SUPPORTED.
	 */
	public RefreshOutcome refreshInvestments(String itemId) {
		try {
			this.plaid.refreshInvestments(this.credentials.find(itemId).orElseThrow());
			return new RefreshOutcome(itemId, true, null);
		}
		catch (PlaidFailure failure) {
			return new RefreshOutcome(itemId, false, failure.errorCode());
		}
	}

	/**
	 * @param errorCode Plaid's reason when not requested, such as PRODUCT_NOT_SUPPORTED
	 */
	public record RefreshOutcome(String itemId, boolean requested, String errorCode) {
	}

}
