package dev.plaidsync.common;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes one user's item, account, security, holding, transaction and webhook event as
 * the engine would.
 */
record UserDataFixture(JdbcClient jdbc) {

	UUID insertUserWithData(String subject) {
		UUID userId = this.jdbc.sql("INSERT INTO app_users (auth_subject) VALUES (:subject) RETURNING id")
			.param("subject", subject)
			.query(UUID.class)
			.single();
		String itemId = "item-" + subject;
		String accountId = "acct-" + subject;
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id,
				    holdings_synced_at, transactions_synced_at, balances_synced_at)
				VALUES (:itemId, :userId, 'ins_1', '\\x00'::bytea, 'k1', now(), now(), now())
				""").param("itemId", itemId).param("userId", userId).update();
		this.jdbc
			.sql("""
					INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, mask, type, subtype, balance_current)
					VALUES (:accountId, :itemId, :userId, 'Brokerage', '0001', 'investment', 'brokerage', 100.00)
					""")
			.param("accountId", accountId)
			.param("itemId", itemId)
			.param("userId", userId)
			.update();
		this.jdbc
			.sql("""
					INSERT INTO securities (security_id, ticker_symbol, name, type) VALUES ('sec-shared', 'VTI', 'Total Market', 'etf')
					ON CONFLICT DO NOTHING
					""")
			.update();
		this.jdbc
			.sql("""
					INSERT INTO holdings (account_id, item_id, user_id, security_id, quantity, institution_price, institution_value, synced_at)
					VALUES (:accountId, :itemId, :userId, 'sec-shared', 1, 100, 100, now())
					""")
			.param("accountId", accountId)
			.param("itemId", itemId)
			.param("userId", userId)
			.update();
		this.jdbc
			.sql("""
					INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id, security_id,
					    date, name, quantity, amount, price, type, synced_at)
					VALUES (:transactionId, :accountId, :itemId, :userId, 'sec-shared', current_date, 'BUY VTI', 1, 100, 100, 'buy', now())
					""")
			.param("transactionId", "txn-" + subject)
			.param("accountId", accountId)
			.param("itemId", itemId)
			.param("userId", userId)
			.update();
		this.jdbc
			.sql("""
					INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, verification, body_sha256,
					    status, success, processing_duration_ms)
					VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :itemId, :userId, 'VERIFIED', 'abc', 'DONE', true, 12)
					""")
			.param("itemId", itemId)
			.param("userId", userId)
			.update();
		return userId;
	}

}
