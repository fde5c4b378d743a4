package dev.plaidsync.simulator.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimInstitution;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.simulator.SimTransaction;
import dev.plaidsync.simulator.SimulatorProperties;
import dev.plaidsync.simulator.SimulatorStats;
import dev.plaidsync.simulator.SignedWebhook;
import dev.plaidsync.simulator.WebhookDelivery;

final class SimulatorEngine implements PlaidSimulator, AutoCloseable {

	static final String HOLDINGS = "/investments/holdings/get";

	static final String TRANSACTIONS = "/investments/transactions/get";

	static final String ACCOUNTS = "/accounts/get";

	static final String BALANCE = "/accounts/balance/get";

	static final String ITEM_GET = "/item/get";

	static final String REFRESH = "/investments/refresh";

	static final String ITEM_REMOVE = "/item/remove";

	private final SimulatorProperties properties;

	private final Clock clock;

	private final Universe universe;

	private final Faults faults;

	private final Stats stats;

	private volatile String[] acceptedCredentials;

	private final WebhookKeys keys;

	private final WebhookSender webhooks;

	private final Map<String, ItemState> items = new ConcurrentHashMap<>();

	private final Map<String, PendingItem> publicTokens = new ConcurrentHashMap<>();

	private final Map<String, LinkSession> linkTokens = new ConcurrentHashMap<>();

	private final LocalDate firstDay;

	private final AtomicInteger dayOffset = new AtomicInteger();

	private final ScheduledExecutorService dayTicker;

	private final SplittableRandom tokens = new SplittableRandom(
			UUID.randomUUID().getMostSignificantBits() ^ System.nanoTime());

	record PendingItem(UUID uuid, String webhookUrl) {
	}

	record LinkSession(String clientUserId, String webhookUrl, String accessToken, boolean accountSelectionEnabled) {
	}

	SimulatorEngine(SimulatorProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.universe = new Universe(properties.seed());
		this.faults = new Faults(properties, clock);
		this.stats = new Stats(clock);
		this.keys = new WebhookKeys(clock);
		this.webhooks = new WebhookSender(keys, stats, clock, properties.webhookTimeout(),
				properties.webhookRetryScale());
		this.firstDay = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(properties.startDaysAgo());
		Duration period = properties.dayAdvancePeriod();
		if (period.isZero() || period.isNegative()) {
			this.dayTicker = null;
		}
		else {
			this.dayTicker = Executors.newSingleThreadScheduledExecutor(runnable -> {
				Thread thread = new Thread(runnable, "simulator-day");
				thread.setDaemon(true);
				return thread;
			});
			dayTicker.scheduleAtFixedRate(() -> advanceDays(1), period.toMillis(), period.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	Universe universe() {
		return universe;
	}

	WebhookKeys keys() {
		return keys;
	}

	Faults faults() {
		return faults;
	}

	// ---- request plumbing

	ItemState begin(String endpoint, String clientId, String accessToken, boolean dataCall) {
		UUID uuid = Ids.parseAccessToken(accessToken);
		String itemId = uuid == null ? null : Ids.itemId(uuid);
		stats.call(endpoint, itemId);
		try {
			faults.checkRateLimit(endpoint, clientId == null ? "" : clientId, itemId);
		}
		catch (PlaidException ex) {
			stats.rejected(endpoint);
			throw ex;
		}
		if (uuid != null) {
			try {
				SimInstitution institution = Institutions.byIndex(Ids.institutionIndex(uuid));
				faults.checkBadDay(dataCall && institution != null ? institution.institutionId() : null, itemId);
			}
			catch (PlaidException ex) {
				stats.injected(ex.errorCode);
				throw ex;
			}
		}
		if (dataCall) {
			try {
				faults.injectErrors(endpoint);
			}
			catch (PlaidException ex) {
				stats.injected(ex.errorCode);
				throw ex;
			}
			faults.sleepLatency(Duration.ZERO);
		}
		return accessToken == null ? null : resolve(accessToken);
	}

	void count(String endpoint) {
		stats.call(endpoint, null);
	}

	ItemState resolve(String accessToken) {
		if (accessToken == null || accessToken.isBlank()) {
			throw PlaidException.missingField("access_token");
		}
		UUID uuid = Ids.parseAccessToken(accessToken);
		if (uuid == null || Institutions.byIndex(Ids.institutionIndex(uuid)) == null) {
			throw PlaidException.invalidAccessToken();
		}
		ItemState state = items.computeIfAbsent(Ids.itemId(uuid), id -> {
			ItemState recovered = new ItemState(uuid, universe, properties.defaultWebhookUrl(), clock.instant());
			recovered.transactionsReady = true;
			return recovered;
		});
		if (state.removed) {
			throw PlaidException.itemNotFound();
		}
		return state;
	}

	private ItemState ref(String itemRef) {
		if (itemRef == null || itemRef.isBlank()) {
			throw new IllegalArgumentException("item_id or access_token is required");
		}
		if (itemRef.startsWith("access-")) {
			return resolve(itemRef);
		}
		ItemState state = items.get(itemRef);
		if (state == null) {
			throw new IllegalArgumentException("unknown item_id " + itemRef
					+ "; after a restart the simulator knows an item once it is called with its access token");
		}
		return state;
	}

	private static void requireHealthy(ItemState state) {
		if (state.loginRequired) {
			throw PlaidException.itemLoginRequired();
		}
	}

	// ---- Plaid endpoints

	Map<String, Object> holdingsGet(ItemState state, List<String> accountIds, String requestId) {
		requireHealthy(state);
		SimItem snapshot = snapshot(state);
		List<SimAccount> accounts = filter(snapshot.accounts(), accountIds);
		List<String> ids = accounts.stream().map(SimAccount::accountId).toList();
		List<SimHolding> holdings = snapshot.holdings().stream().filter(h -> ids.contains(h.accountId())).toList();
		List<String> securityIds = holdings.stream().map(SimHolding::securityId).distinct().toList();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("accounts", PlaidJson.accounts(accounts, true));
		body.put("holdings", holdings.stream().map(PlaidJson::holding).toList());
		body.put("securities",
				snapshot.securities()
					.stream()
					.filter(s -> securityIds.contains(s.securityId()))
					.map(PlaidJson::security)
					.toList());
		body.put("item", PlaidJson.item(state, requestId));
		body.put("is_investments_fallback_item", false);
		body.put("request_id", requestId);
		withUnstorableTextIfAsked(state, body);
		return body;
	}

	Map<String, Object> transactionsGet(ItemState state, LocalDate start, LocalDate end, int count, int offset,
			List<String> accountIds, boolean asyncUpdate, String requestId) {
		requireHealthy(state);
		if (!state.transactionsReady) {
			if (asyncUpdate) {
				scheduleHistoricalUpdate(state);
				throw PlaidException.productNotReady();
			}
			faults.sleepLatency(properties.firstTransactionsLatency());
			state.transactionsReady = true;
		}
		LocalDate today = today();
		if (faults.takeTotalChange(state.itemId(), offset)) {
			arriveSilently(state, today);
		}
		boolean emptyWindow = faults.takeEmptyTransactionWindow(state.itemId(), offset);
		List<SimHolding> holdings = state.holdings(universe, today);
		List<SimAccount> accounts = filter(state.accounts(holdings, universe), accountIds);
		List<String> ids = accounts.stream().map(SimAccount::accountId).toList();
		List<SimTransaction> all = emptyWindow ? List.of()
				: state.transactions(universe, today, start, end)
					.stream()
					.filter(t -> ids.contains(t.accountId()))
					.toList();
		List<SimTransaction> page = all.subList(Math.min(offset, all.size()), Math.min(offset + count, all.size()));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("accounts", PlaidJson.accounts(accounts, true));
		body.put("investment_transactions", page.stream().map(PlaidJson::transaction).toList());
		body.put("is_investments_fallback_item", false);
		body.put("item", PlaidJson.item(state, requestId));
		body.put("request_id", requestId);
		body.put("securities",
				state.securities(List.of(), page, universe, today).stream().map(PlaidJson::security).toList());
		body.put("total_investment_transactions", all.size());
		withUnstorableTextIfAsked(state, body);
		return body;
	}

	private void withUnstorableTextIfAsked(ItemState state, Map<String, Object> body) {
		if (faults.unstorableText(state.itemId())) {
			Faults.addUnstorableText(body);
		}
	}

	private void scheduleHistoricalUpdate(ItemState state) {
		webhooks.send(state.webhookUrl, state.itemId(), transactionsWebhook(state, "HISTORICAL_UPDATE", 0, 0),
				properties.firstTransactionsLatency());
		Thread ready = new Thread(() -> {
			faults.sleepLatency(properties.firstTransactionsLatency());
			state.transactionsReady = true;
		}, "simulator-historical-update");
		ready.setDaemon(true);
		ready.start();
	}

	Map<String, Object> accountsGet(ItemState state, List<String> accountIds, String requestId) {
		requireHealthy(state);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("accounts", PlaidJson.accounts(filter(snapshot(state).accounts(), accountIds), false));
		body.put("item", PlaidJson.item(state, requestId));
		body.put("request_id", requestId);
		withUnstorableTextIfAsked(state, body);
		return body;
	}

	Map<String, Object> itemGet(ItemState state, String requestId) {
		Map<String, Object> investments = new LinkedHashMap<>();
		investments.put("last_failed_update", PlaidJson.time(state.lastFailedUpdate));
		investments.put("last_successful_update", PlaidJson.time(state.lastSuccessfulUpdate));
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("investments", investments);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("item", PlaidJson.item(state, requestId));
		body.put("request_id", requestId);
		body.put("status", status);
		return body;
	}

	Map<String, Object> refresh(ItemState state, String requestId) {
		requireHealthy(state);
		if (!state.institution.refreshSupported()) {
			throw PlaidException.productNotSupported();
		}
		state.lastSuccessfulUpdate = clock.instant();
		Duration delay = properties.refreshWebhookDelay();
		webhooks.send(state.webhookUrl, state.itemId(), holdingsWebhook(state), delay);
		webhooks.send(state.webhookUrl, state.itemId(), transactionsWebhook(state, "DEFAULT_UPDATE", 0, 0), delay);
		return Map.of("request_id", requestId);
	}

	Map<String, Object> linkTokenCreate(String clientUserId, String webhook, String accessToken,
			boolean accountSelectionEnabled, boolean hasProducts, String requestId) {
		if (clientUserId == null || clientUserId.isBlank()) {
			throw PlaidException.missingField("user.client_user_id");
		}
		if (accessToken != null) {
			resolve(accessToken);
		}
		else if (!hasProducts) {
			throw PlaidException.missingField("products");
		}
		String linkToken = "link-sandbox-" + UUID.randomUUID();
		linkTokens.put(linkToken, new LinkSession(clientUserId, webhook, accessToken, accountSelectionEnabled));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("expiration", PlaidJson.time(clock.instant().plus(Duration.ofHours(4))));
		body.put("link_token", linkToken);
		body.put("request_id", requestId);
		return body;
	}

	Map<String, Object> exchange(String publicToken, String requestId) {
		if (publicToken == null || publicToken.isBlank()) {
			throw PlaidException.missingField("public_token");
		}
		PendingItem pending = publicTokens.remove(publicToken);
		if (pending == null) {
			throw PlaidException.invalidPublicToken();
		}
		ItemState state = register(pending);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", state.accessToken);
		body.put("item_id", state.itemId());
		body.put("request_id", requestId);
		return body;
	}

	private ItemState register(PendingItem pending) {
		ItemState state = new ItemState(pending.uuid(), universe,
				pending.webhookUrl() != null ? pending.webhookUrl() : properties.defaultWebhookUrl(), clock.instant());
		items.put(state.itemId(), state);
		return state;
	}

	Map<String, Object> remove(ItemState state, String requestId) {
		state.removed = true;
		return Map.of("request_id", requestId);
	}

	Map<String, Object> webhookUpdate(ItemState state, String webhook, String requestId) {
		if (webhook == null || webhook.isBlank()) {
			throw PlaidException.missingField("webhook");
		}
		state.webhookUrl = webhook;
		Map<String, Object> ack = PlaidJson.webhook("ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED", state.itemId());
		ack.put("error", null);
		ack.put("new_webhook_url", webhook);
		webhooks.send(webhook, state.itemId(), ack, Duration.ZERO);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("item", PlaidJson.item(state, requestId));
		body.put("request_id", requestId);
		return body;
	}

	Map<String, Object> webhookVerificationKey(String keyId, String requestId) {
		if (keys.failing()) {
			throw PlaidException.internalServerError();
		}
		if (keyId == null || keyId.isBlank()) {
			throw PlaidException.missingField("key_id");
		}
		Map<String, Object> jwk = keys.publicJwk(keyId);
		if (jwk == null) {
			throw PlaidException.invalidWebhookKeyId();
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("key", jwk);
		body.put("request_id", requestId);
		return body;
	}

	Map<String, Object> sandboxPublicTokenCreate(String institutionId, boolean hasProducts, String webhook,
			String overrideUsername, String requestId) {
		if (institutionId == null || institutionId.isBlank()) {
			throw PlaidException.missingField("institution_id");
		}
		if (!hasProducts) {
			throw PlaidException.missingField("initial_products");
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("public_token", newPublicToken(institutionId, overrideUsername, webhook));
		body.put("request_id", requestId);
		return body;
	}

	private String newPublicToken(String institutionId, String overrideUsername, String webhook) {
		InstitutionCatalogue.linkable(institutionId, List.of());
		int index = Institutions.indexOf(institutionId);
		boolean heavy;
		UUID uuid;
		synchronized (tokens) {
			heavy = (overrideUsername != null && overrideUsername.contains("heavy")) || tokens.nextInt(4) == 0;
			uuid = Ids.newItemUuid(index, Ids.loginHash(institutionId, overrideUsername), heavy, tokens);
		}
		String publicToken = "public-sandbox-" + UUID.randomUUID();
		publicTokens.put(publicToken, new PendingItem(uuid, webhook));
		return publicToken;
	}

	Map<String, Object> sandboxFireWebhook(ItemState state, String type, String code, String requestId) {
		if (code == null || code.isBlank()) {
			throw PlaidException.missingField("webhook_code");
		}
		if ("DEFAULT_UPDATE".equals(code)) {
			if ("HOLDINGS".equals(type)) {
				fireHoldingsUpdate(state.itemId());
			}
			else if ("INVESTMENTS_TRANSACTIONS".equals(type)) {
				fireTransactionsUpdate(state.itemId(), 1, 0);
			}
			else {
				throw PlaidException
					.invalidField("webhook_type must be HOLDINGS or INVESTMENTS_TRANSACTIONS for DEFAULT_UPDATE");
			}
		}
		else if (type == null || "ITEM".equals(type)) {
			try {
				fireItemWebhook(state.itemId(), code, null);
			}
			catch (IllegalArgumentException ex) {
				throw PlaidException.invalidField(ex.getMessage());
			}
		}
		else {
			throw PlaidException.invalidField("unsupported webhook_type " + type + " for webhook_code " + code);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("request_id", requestId);
		body.put("webhook_fired", true);
		return body;
	}

	Map<String, Object> sandboxResetLogin(ItemState state, String requestId) {
		requireLogin(state.itemId());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("request_id", requestId);
		body.put("reset_login", true);
		return body;
	}

	// ---- webhook bodies

	private Map<String, Object> holdingsWebhook(ItemState state) {
		Map<String, Object> body = PlaidJson.webhook("HOLDINGS", "DEFAULT_UPDATE", state.itemId());
		body.put("error", null);
		body.put("new_holdings", 0);
		body.put("updated_holdings", state.holdings(universe, today()).size());
		return body;
	}

	private Map<String, Object> transactionsWebhook(ItemState state, String code, int added, int cancelled) {
		Map<String, Object> body = PlaidJson.webhook("INVESTMENTS_TRANSACTIONS", code, state.itemId());
		body.put("cancelled_investments_transactions", cancelled);
		body.put("error", null);
		body.put("new_investments_transactions", added);
		return body;
	}

	private Map<String, Object> itemWebhook(ItemState state, String code, String detail) {
		Map<String, Object> body = PlaidJson.webhook("ITEM", code, state.itemId());
		Instant inAWeek = clock.instant().plus(Duration.ofDays(7));
		switch (code) {
			case "ERROR" -> body.put("error", PlaidJson.error(PlaidException.itemLoginRequired(), requestId()));
			case "LOGIN_REPAIRED" -> {
			}
			case "NEW_ACCOUNTS_AVAILABLE" -> body.put("error", null);
			case "PENDING_EXPIRATION" -> body.put("consent_expiration_time", PlaidJson.time(inAWeek));
			case "PENDING_DISCONNECT" -> {
				body.put("disconnect_time", PlaidJson.time(inAWeek));
				body.put("reason", detail == null ? "INSTITUTION_TOKEN_EXPIRATION" : detail);
			}
			case "USER_PERMISSION_REVOKED" -> body.put("error",
					PlaidJson.error(new PlaidException(400, "ITEM_ERROR", "USER_PERMISSION_REVOKED",
							"the user has revoked access to this item", null,
							"https://plaid.com/docs/errors/item/#user_permission_revoked"), requestId()));
			case "USER_ACCOUNT_REVOKED" -> body.put("account_id", detail);
			case "WEBHOOK_UPDATE_ACKNOWLEDGED" -> {
				body.put("error", null);
				body.put("new_webhook_url", state.webhookUrl == null ? "" : state.webhookUrl);
			}
			default -> throw new IllegalArgumentException("unsupported ITEM webhook_code " + code);
		}
		return body;
	}

	static String requestId() {
		return Ids.randomBase62(new SplittableRandom(UUID.randomUUID().getLeastSignificantBits()), 15);
	}

	// ---- PlaidSimulator

	@Override
	public List<SimInstitution> institutions() {
		return Institutions.ALL;
	}

	@Override
	public LinkedItem createItem(String institutionId, String overrideUsername, String webhookUrl) {
		String publicToken = newPublicToken(
				institutionId == null ? Institutions.ALL.get(0).institutionId() : institutionId, overrideUsername,
				webhookUrl);
		ItemState state = register(publicTokens.remove(publicToken));
		return new LinkedItem(state.itemId(), state.accessToken, publicToken);
	}

	@Override
	public SimItem item(String itemRef) {
		return snapshot(ref(itemRef));
	}

	private SimItem snapshot(ItemState state) {
		LocalDate today = today();
		List<SimHolding> holdings = state.holdings(universe, today);
		List<SimAccount> accounts = state.accounts(holdings, universe);
		List<SimSecurity> securities = state.securities(holdings, List.of(), universe, today);
		return new SimItem(state.itemId(), state.accessToken, state.institution, state.webhookUrl, state.loginRequired,
				accounts, holdings, securities);
	}

	private static List<SimAccount> filter(List<SimAccount> accounts, List<String> accountIds) {
		if (accountIds == null || accountIds.isEmpty()) {
			return accounts;
		}
		return accounts.stream().filter(a -> accountIds.contains(a.accountId())).toList();
	}

	@Override
	public List<SimTransaction> transactions(String itemRef, LocalDate startDate, LocalDate endDate) {
		return ref(itemRef).transactions(universe, today(), startDate, endDate);
	}

	@Override
	public LocalDate today() {
		return firstDay.plusDays(dayOffset.get());
	}

	@Override
	public LocalDate advanceDays(int days) {
		if (days < 0) {
			throw new IllegalArgumentException("days must not be negative");
		}
		return firstDay.plusDays(dayOffset.addAndGet(days));
	}

	@Override
	public void requireLogin(String itemRef) {
		ItemState state = ref(itemRef);
		state.loginRequired = true;
		state.lastFailedUpdate = clock.instant();
		webhooks.send(state.webhookUrl, state.itemId(), itemWebhook(state, "ERROR", null), Duration.ZERO);
	}

	@Override
	public void repairLogin(String itemRef) {
		ItemState state = ref(itemRef);
		state.loginRequired = false;
		state.lastSuccessfulUpdate = clock.instant();
		webhooks.send(state.webhookUrl, state.itemId(), itemWebhook(state, "LOGIN_REPAIRED", null), Duration.ZERO);
	}

	@Override
	public void completeUpdateLink(String itemRef) {
		ItemState state = ref(itemRef);
		state.loginRequired = false;
		state.lastSuccessfulUpdate = clock.instant();
	}

	@Override
	public String completeLink(String linkToken, String institutionId, String overrideUsername) {
		LinkSession session = linkTokens.get(linkToken);
		if (session == null) {
			throw PlaidException.invalidLinkToken();
		}
		if (session.accessToken() != null) {
			completeUpdateLink(session.accessToken());
			return null;
		}
		return newPublicToken(institutionId == null ? Institutions.ALL.get(0).institutionId() : institutionId,
				overrideUsername, session.webhookUrl());
	}

	@Override
	public void fireItemWebhook(String itemRef, String webhookCode, String detail) {
		ItemState state = ref(itemRef);
		String value = detail;
		if ("USER_ACCOUNT_REVOKED".equals(webhookCode)) {
			value = detail != null ? state.account(detail).accountId()
					: state.openAccounts().stream().findFirst().orElseThrow().accountId();
			state.closedAccounts.add(value);
		}
		Map<String, Object> body = itemWebhook(state, webhookCode, value);
		webhooks.send(state.webhookUrl, state.itemId(), body, Duration.ZERO);
	}

	@Override
	public SimTransaction addTransaction(String itemRef, String accountId, LocalDate date, BigDecimal amount) {
		ItemState state = ref(itemRef);
		ItemPlan.AccountPlan account = accountId != null ? state.account(accountId)
				: state.openAccounts().stream().filter(ItemPlan.AccountPlan::investment).findFirst().orElseThrow();
		LocalDate day = date == null ? today().minusDays(3) : date;
		BigDecimal value = amount == null ? new BigDecimal("-12.34") : amount;
		String id = Ids.plaidId("added", state.itemId(), state.addedTransactions.size(), UUID.randomUUID());
		SimTransaction transaction = new SimTransaction(id, account.accountId(),
				universe.cash(account.currency()).securityId(), day, "LATE POSTING ADJUSTMENT", BigDecimal.ZERO, value,
				BigDecimal.ZERO, BigDecimal.ZERO.setScale(2), "cash", "adjustment", account.currency());
		state.addedTransactions.add(transaction);
		fireTransactionsUpdate(state.itemId(), 1, 0);
		return transaction;
	}

	/**
	 * A transaction that arrives while a client pages a window: no webhook, so only the
	 * moving total shows it.
	 */
	private void arriveSilently(ItemState state, LocalDate today) {
		ItemPlan.AccountPlan account = state.openAccounts()
			.stream()
			.filter(ItemPlan.AccountPlan::investment)
			.findFirst()
			.orElseThrow();
		String id = Ids.plaidId("added", state.itemId(), state.addedTransactions.size(), UUID.randomUUID());
		state.addedTransactions
			.add(new SimTransaction(id, account.accountId(), universe.cash(account.currency()).securityId(), today,
					"ARRIVED WHILE PAGING", BigDecimal.ZERO, new BigDecimal("-1.00"), BigDecimal.ZERO,
					BigDecimal.ZERO.setScale(2), "cash", "adjustment", account.currency()));
	}

	@Override
	public void removeTransaction(String itemRef, String investmentTransactionId) {
		ItemState state = ref(itemRef);
		if (!state.hasTransaction(universe, today(), investmentTransactionId)) {
			throw new IllegalArgumentException("unknown investment_transaction_id " + investmentTransactionId);
		}
		state.removedTransactions.add(investmentTransactionId);
		fireTransactionsUpdate(state.itemId(), 0, 1);
	}

	@Override
	public void sellPosition(String itemRef, String accountId, String securityId) {
		ItemState state = ref(itemRef);
		boolean held = state.holdings(universe, today())
			.stream()
			.anyMatch(h -> h.accountId().equals(accountId) && h.securityId().equals(securityId));
		if (!held) {
			throw new IllegalArgumentException("no holding of security " + securityId + " in account " + accountId);
		}
		state.soldPositions.add(accountId + "|" + securityId);
	}

	@Override
	public void closeAccount(String itemRef, String accountId) {
		ItemState state = ref(itemRef);
		state.account(accountId);
		state.closedAccounts.add(accountId);
	}

	@Override
	public void setPrice(String securityId, BigDecimal price) {
		universe.overridePrice(securityId, price, today());
	}

	@Override
	public void fireHoldingsUpdate(String itemRef) {
		ItemState state = ref(itemRef);
		webhooks.send(state.webhookUrl, state.itemId(), holdingsWebhook(state), Duration.ZERO);
	}

	@Override
	public void fireTransactionsUpdate(String itemRef, int newTransactions, int cancelledTransactions) {
		ItemState state = ref(itemRef);
		webhooks.send(state.webhookUrl, state.itemId(),
				transactionsWebhook(state, "DEFAULT_UPDATE", newTransactions, cancelledTransactions), Duration.ZERO);
	}

	@Override
	public String rotateWebhookKey() {
		return keys.rotate();
	}

	@Override
	public String currentWebhookKeyId() {
		return keys.currentKeyId();
	}

	@Override
	public SignedWebhook signWebhook(byte[] body) {
		return signWebhook(body, clock.instant());
	}

	@Override
	public SignedWebhook signWebhook(byte[] body, Instant issuedAt) {
		WebhookKeys.Signed signed = keys.sign(body, issuedAt.toEpochMilli());
		return new SignedWebhook(signed.jwt(), signed.keyId());
	}

	@Override
	public void failWebhookKeyEndpoint(boolean fail) {
		keys.setFailing(fail);
	}

	@Override
	public void setLatency(Duration latency, Duration jitter) {
		faults.setLatency(latency, jitter);
	}

	@Override
	public void setErrorRates(double rate429, double rate500, double rateInstitutionDown) {
		faults.setErrorRates(rate429, rate500, rateInstitutionDown);
	}

	@Override
	public void setRateLimitsEnabled(boolean enabled) {
		faults.setRateLimitsEnabled(enabled);
	}

	@Override
	public void setRateLimit(String endpoint, String scope, int perMinute) {
		faults.setRateLimit(endpoint, scope, perMinute);
	}

	@Override
	public void setUnstorableText(String itemRef, boolean enabled) {
		faults.setUnstorableText(ref(itemRef).itemId(), enabled);
	}

	void setWebhookRetryScale(double scale) {
		webhooks.setRetryScale(scale);
	}

	@Override
	public void setAcceptedCredentials(String clientId, String secret) {
		acceptedCredentials = (clientId == null && secret == null) ? null : new String[] { clientId, secret };
	}

	/**
	 * Any non-empty keys, unless {@link #setAcceptedCredentials} named the only ones. A
	 * rejected call still counts as a call, for its item too.
	 */
	void checkCredentials(String endpoint, String clientId, String secret, String accessToken) {
		String[] accepted = acceptedCredentials;
		if (clientId == null || secret == null
				|| (accepted != null && !(clientId.equals(accepted[0]) && secret.equals(accepted[1])))) {
			UUID uuid = Ids.parseAccessToken(accessToken);
			stats.call(endpoint, uuid == null ? null : Ids.itemId(uuid));
			throw PlaidException.invalidApiKeys();
		}
	}

	@Override
	public List<Instant> callTimes(String endpoint) {
		return stats.callTimes(endpoint);
	}

	@Override
	public SimulatorStats stats() {
		return stats.snapshot();
	}

	@Override
	public void resetStats() {
		stats.reset();
	}

	@Override
	public List<WebhookDelivery> deliveries() {
		return new ArrayList<>(stats.deliveries());
	}

	@Override
	public void close() {
		webhooks.close();
		if (dayTicker != null) {
			dayTicker.shutdownNow();
		}
	}

}
