package dev.plaidsync.plaid;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.AccountsBalanceGetRequest;
import com.plaid.client.model.AccountsGetRequest;
import com.plaid.client.model.AccountsGetResponse;
import com.plaid.client.model.CountryCode;
import com.plaid.client.model.InvestmentTransaction;
import com.plaid.client.model.InvestmentsHoldingsGetRequest;
import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import com.plaid.client.model.InvestmentsRefreshRequest;
import com.plaid.client.model.InvestmentsTransactionsGetRequest;
import com.plaid.client.model.InvestmentsTransactionsGetRequestOptions;
import com.plaid.client.model.InvestmentsTransactionsGetResponse;
import com.plaid.client.model.ItemGetRequest;
import com.plaid.client.model.ItemGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeRequest;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import com.plaid.client.model.ItemRemoveRequest;
import com.plaid.client.model.ItemWebhookUpdateRequest;
import com.plaid.client.model.JWKPublicKey;
import com.plaid.client.model.LinkTokenCreateRequest;
import com.plaid.client.model.LinkTokenCreateRequestUpdate;
import com.plaid.client.model.LinkTokenCreateRequestUser;
import com.plaid.client.model.LinkTokenCreateResponse;
import com.plaid.client.model.Products;
import com.plaid.client.model.SandboxPublicTokenCreateRequest;
import com.plaid.client.model.SandboxPublicTokenCreateRequestOptions;
import com.plaid.client.model.SandboxPublicTokenCreateResponse;
import com.plaid.client.model.Security;
import com.plaid.client.model.WebhookVerificationKeyGetRequest;
import com.plaid.client.request.PlaidApi;
import dev.plaidsync.common.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

/**
 * The engine's one way to Plaid. Every call waits for a permit from the shared budget, is
 * retried with backoff while it fails for a retryable reason (rate limits, Plaid's own
 * errors, the network), and otherwise fails at once with a classified
 * {@link PlaidFailure}. Thread-safe. Access tokens are never logged.
 */
public class PlaidGateway {

	private static final Logger log = LoggerFactory.getLogger(PlaidGateway.class);

	static final int TRANSACTIONS_PAGE_SIZE = 500;

	static final int WINDOW_ATTEMPTS = 3;

	private final PlaidClients clients;

	private final RequestBudget budget;

	private final RetryTemplate retry;

	private final RetryTemplate noRetry;

	private final PlaidProperties properties;

	private final MeterRegistry meters;

	private final JsonMapper json;

	PlaidGateway(PlaidClients clients, RequestBudget budget, RetryTemplate retry, PlaidProperties properties,
			MeterRegistry meters, JsonMapper json) {
		this.clients = clients;
		this.budget = budget;
		this.retry = retry;
		this.noRetry = new RetryTemplate(org.springframework.core.retry.RetryPolicy.withMaxRetries(0));
		this.properties = properties;
		this.meters = meters;
		this.json = json;
	}

	public InvestmentsHoldingsGetResponse holdings(ItemAccess item, CallPriority priority) {
		return call(PlaidEndpoint.HOLDINGS, item, priority, this.retry, (api) -> api
			.investmentsHoldingsGet(new InvestmentsHoldingsGetRequest().accessToken(item.accessToken())));
	}

	public InvestmentsTransactionsGetResponse transactionsPage(ItemAccess item, LocalDate startDate, LocalDate endDate,
			int offset, CallPriority priority) {
		InvestmentsTransactionsGetRequest request = new InvestmentsTransactionsGetRequest()
			.accessToken(item.accessToken())
			.startDate(startDate)
			.endDate(endDate)
			.options(new InvestmentsTransactionsGetRequestOptions().count(TRANSACTIONS_PAGE_SIZE).offset(offset));
		return call(PlaidEndpoint.TRANSACTIONS, item, priority, this.retry, this.clients.transactions(),
				(api) -> api.investmentsTransactionsGet(request));
	}

	/**
	 * Every page of the window, {@value #TRANSACTIONS_PAGE_SIZE} at a time, each paced by
	 * the budget (including Plaid's per-item limit). Securities and accounts are merged
	 * across pages by id. When {@code total_investment_transactions} changes between
	 * pages, offsets have shifted under the paging (rows may have been skipped or seen
	 * twice), so the whole window is fetched again, up to {@value #WINDOW_ATTEMPTS}
	 * times; a window whose total never held still is returned as not complete, so that
	 * nothing is deleted on its strength.
	 */
	public InvestmentTransactionsWindow transactions(ItemAccess item, LocalDate startDate, LocalDate endDate,
			CallPriority priority) {
		InvestmentTransactionsWindow window = null;
		for (int attempt = 1; attempt <= WINDOW_ATTEMPTS; attempt++) {
			window = transactionsOnce(item, startDate, endDate, priority);
			if (window.totalHeldStill()) {
				return window;
			}
			Counter.builder("plaid.transactions.window.refetched")
				.description("Transactions windows fetched again because Plaid's total changed between pages")
				.register(this.meters)
				.increment();
		}
		return window;
	}

	private InvestmentTransactionsWindow transactionsOnce(ItemAccess item, LocalDate startDate, LocalDate endDate,
			CallPriority priority) {
		List<InvestmentTransaction> transactions = new ArrayList<>();
		Map<String, Security> securities = new LinkedHashMap<>();
		Map<String, AccountBase> accounts = new LinkedHashMap<>();
		InvestmentsTransactionsGetResponse page;
		int pages = 0;
		int total;
		Integer firstTotal = null;
		boolean totalHeldStill = true;
		do {
			page = transactionsPage(item, startDate, endDate, transactions.size(), priority);
			pages++;
			transactions.addAll(page.getInvestmentTransactions());
			page.getSecurities().forEach((security) -> securities.putIfAbsent(security.getSecurityId(), security));
			page.getAccounts().forEach((account) -> accounts.put(account.getAccountId(), account));
			total = page.getTotalInvestmentTransactions();
			if (firstTotal == null) {
				firstTotal = total;
			}
			else if (firstTotal != total) {
				totalHeldStill = false;
				break;
			}
		}
		while (transactions.size() < total && !page.getInvestmentTransactions().isEmpty());
		return new InvestmentTransactionsWindow(startDate, endDate, transactions, new ArrayList<>(securities.values()),
				new ArrayList<>(accounts.values()), page.getItem(), total, pages,
				totalHeldStill && transactions.size() >= total, totalHeldStill);
	}

	/** Plaid's cached balances: not billed per call. */
	public AccountsGetResponse accounts(ItemAccess item, CallPriority priority) {
		return call(PlaidEndpoint.ACCOUNTS, item, priority, this.retry,
				(api) -> api.accountsGet(new AccountsGetRequest().accessToken(item.accessToken())));
	}

	/** Real-time balances from the institution: slow, and billed per call. */
	public AccountsGetResponse realTimeBalances(ItemAccess item, CallPriority priority) {
		return call(PlaidEndpoint.BALANCE, item, priority, this.retry,
				(api) -> api.accountsBalanceGet(new AccountsBalanceGetRequest().accessToken(item.accessToken())));
	}

	public ItemGetResponse item(ItemAccess item, CallPriority priority) {
		return call(PlaidEndpoint.ITEM_GET, item, priority, this.retry,
				(api) -> api.itemGet(new ItemGetRequest().accessToken(item.accessToken())));
	}

	/**
	 * A Link token for a new Item: products investments, countries US and CA, with the
	 * configured webhook.
	 */
	public LinkTokenCreateResponse createLinkToken(String clientUserId) {
		LinkTokenCreateRequest request = linkTokenRequest(clientUserId).products(List.of(Products.INVESTMENTS));
		return call(PlaidEndpoint.LINK_TOKEN_CREATE, null, CallPriority.INTERACTIVE, this.retry,
				(api) -> api.linkTokenCreate(request));
	}

	/**
	 * A Link token in update mode, to repair the Item's login: its access token and no
	 * products. With {@code accountSelection}, the user may also share accounts that
	 * became available.
	 */
	public LinkTokenCreateResponse createUpdateModeLinkToken(String clientUserId, ItemAccess item,
			boolean accountSelection) {
		LinkTokenCreateRequest request = linkTokenRequest(clientUserId).accessToken(item.accessToken());
		if (accountSelection) {
			request.update(new LinkTokenCreateRequestUpdate().accountSelectionEnabled(true));
		}
		return call(PlaidEndpoint.LINK_TOKEN_CREATE, item, CallPriority.INTERACTIVE, this.retry,
				(api) -> api.linkTokenCreate(request));
	}

	public ItemPublicTokenExchangeResponse exchangePublicToken(String publicToken) {
		return call(PlaidEndpoint.PUBLIC_TOKEN_EXCHANGE, null, CallPriority.INTERACTIVE, this.retry,
				(api) -> api.itemPublicTokenExchange(new ItemPublicTokenExchangeRequest().publicToken(publicToken)));
	}

	/** Ends the Item at Plaid, which stops Plaid's monthly billing for it. */
	public void removeItem(ItemAccess item, CallPriority priority) {
		call(PlaidEndpoint.ITEM_REMOVE, item, priority, this.retry,
				(api) -> api.itemRemove(new ItemRemoveRequest().accessToken(item.accessToken())));
	}

	public void updateWebhook(ItemAccess item, String webhookUrl, CallPriority priority) {
		call(PlaidEndpoint.ITEM_WEBHOOK_UPDATE, item, priority, this.retry, (api) -> api
			.itemWebhookUpdate(new ItemWebhookUpdateRequest().accessToken(item.accessToken()).webhook(webhookUrl)));
	}

	/**
	 * Asks Plaid to extract fresh investments data now; the results arrive by
	 * DEFAULT_UPDATE webhooks.
	 */
	public void refreshInvestments(ItemAccess item) {
		call(PlaidEndpoint.INVESTMENTS_REFRESH, item, CallPriority.INTERACTIVE, this.retry,
				(api) -> api.investmentsRefresh(new InvestmentsRefreshRequest().accessToken(item.accessToken())));
	}

	/**
	 * One attempt with short timeouts, since a webhook waits on it: a failure surfaces at
	 * once, and INVALID_WEBHOOK_VERIFICATION_KEY_ID (an unknown key id) is an
	 * {@code ITEM_FAILED} with that code.
	 */
	public JWKPublicKey webhookVerificationKey(String keyId) {
		return call(PlaidEndpoint.WEBHOOK_VERIFICATION_KEY, null, CallPriority.INTERACTIVE, this.noRetry,
				this.clients.quick(),
				(api) -> api.webhookVerificationKeyGet(new WebhookVerificationKeyGetRequest().keyId(keyId)))
			.getKey();
	}

	/**
	 * Sandbox and simulator only: a public token for a test Item, as if a user had
	 * completed Link.
	 */
	public SandboxPublicTokenCreateResponse createSandboxPublicToken(String institutionId, String username) {
		if ("production".equals(this.properties.env())) {
			throw new IllegalStateException("Sandbox public tokens exist only in sandbox and the simulator");
		}
		SandboxPublicTokenCreateRequestOptions options = new SandboxPublicTokenCreateRequestOptions()
			.webhook(webhookUrl())
			.overrideUsername(username);
		SandboxPublicTokenCreateRequest request = new SandboxPublicTokenCreateRequest().institutionId(institutionId)
			.initialProducts(List.of(Products.INVESTMENTS))
			.options(options);
		return call(PlaidEndpoint.SANDBOX, null, CallPriority.INTERACTIVE, this.retry,
				(api) -> api.sandboxPublicTokenCreate(request));
	}

	/**
	 * The URL Plaid posts webhooks to: {@code PLAID_WEBHOOK_URL}, or this engine's own in
	 * simulator mode.
	 */
	public String webhookUrl() {
		return this.clients.webhookUrl();
	}

	/**
	 * The {@code environment} Plaid writes into webhook bodies: {@code sandbox} for the
	 * simulator too.
	 */
	public String webhookEnvironment() {
		return "production".equals(this.properties.env()) ? "production" : "sandbox";
	}

	private LinkTokenCreateRequest linkTokenRequest(String clientUserId) {
		return new LinkTokenCreateRequest().clientName(this.properties.clientName())
			.language("en")
			.countryCodes(List.of(CountryCode.US, CountryCode.CA))
			.user(new LinkTokenCreateRequestUser().clientUserId(clientUserId))
			.webhook(webhookUrl());
	}

	private <T> T call(PlaidEndpoint endpoint, ItemAccess item, CallPriority priority, RetryTemplate retryTemplate,
			Function<PlaidApi, Call<T>> request) {
		return call(endpoint, item, priority, retryTemplate, this.clients.standard(), request);
	}

	private <T> T call(PlaidEndpoint endpoint, ItemAccess item, CallPriority priority, RetryTemplate retryTemplate,
			PlaidApi api, Function<PlaidApi, Call<T>> request) {
		try {
			return retryTemplate.execute(() -> attempt(endpoint, item, priority, api, request));
		}
		catch (RetryException ex) {
			if (ex.getLastException() instanceof PlaidFailure failure) {
				throw failure;
			}
			throw PlaidErrorClassifier.network(endpoint, item, (Exception) ex.getLastException());
		}
	}

	private <T> T attempt(PlaidEndpoint endpoint, ItemAccess item, CallPriority priority, PlaidApi api,
			Function<PlaidApi, Call<T>> request) {
		try (LogContext.Scope ids = LogContext.open()) {
			if (item != null) {
				ids.put(LogContext.ITEM_ID, item.itemId());
			}
			return attemptFor(endpoint, item, priority, api, request);
		}
	}

	private <T> T attemptFor(PlaidEndpoint endpoint, ItemAccess item, CallPriority priority, PlaidApi api,
			Function<PlaidApi, Call<T>> request) {
		this.budget.acquire(endpoint, item, priority);
		long started = System.nanoTime();
		String outcome = "OK";
		try {
			Response<T> response = request.apply(api).execute();
			if (response.isSuccessful()) {
				return response.body();
			}
			PlaidFailure failure = PlaidErrorClassifier.classify(endpoint, item, response.code(),
					parseError(response.errorBody()));
			outcome = failure.errorCode();
			throw onFailure(failure);
		}
		catch (IOException ex) {
			outcome = PlaidErrorClassifier.NETWORK_ERROR;
			throw onFailure(PlaidErrorClassifier.network(endpoint, item, ex));
		}
		finally {
			long elapsed = System.nanoTime() - started;
			Timer.builder("plaid.requests")
				.description("Calls to Plaid, by endpoint and outcome (OK or Plaid's error_code)")
				.tags("endpoint", endpoint.metricName(), "outcome", outcome)
				.register(this.meters)
				.record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
			log.debug("Plaid {}: {} in {} ms", endpoint.path(), outcome, elapsed / 1_000_000);
		}
	}

	private PlaidFailure onFailure(PlaidFailure failure) {
		Counter.builder("plaid.failures")
			.description("Failed Plaid calls, by endpoint, error_code and what the engine does about them")
			.tags("endpoint", failure.endpoint().metricName(), "error_code", failure.errorCode(), "kind",
					failure.kind().name().toLowerCase(Locale.ROOT))
			.register(this.meters)
			.increment();
		if (failure.kind() == PlaidFailure.Kind.RATE_LIMITED) {
			if ("INSTITUTION_RATE_LIMIT".equals(failure.errorCode()) && failure.institutionId() != null) {
				this.budget.backOffInstitution(failure.institutionId(),
						this.properties.retry().institutionRateLimitBackoff());
			}
			else {
				this.budget.rateLimited(failure);
			}
		}
		return failure;
	}

	private PlaidErrorBody parseError(ResponseBody body) {
		if (body == null) {
			return null;
		}
		try (body) {
			return this.json.readValue(body.bytes(), PlaidErrorBody.class);
		}
		catch (IOException | JacksonException unparseable) {
			return null;
		}
	}

}
