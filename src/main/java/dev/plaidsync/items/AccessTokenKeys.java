package dev.plaidsync.items;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The access-token keys as operators see them: which key encrypts, which items' tokens no configured key can read,
 * and the {@code tokenReencryptJob} that moves every token to the current key so that old keys can be retired.
 */
@Component
public class AccessTokenKeys {

	private final AccessTokenCipher cipher;

	private final JdbcClient jdbc;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	AccessTokenKeys(AccessTokenCipher cipher, JdbcClient jdbc, JobOperator jobOperator, JobRepository jobRepository,
			@Qualifier("tokenReencryptJob") Job job) {
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.job = job;
	}

	public String currentKeyId() {
		return this.cipher.currentKeyId();
	}

	/**
	 * Items (not removed) whose token was stored under a key id {@code PLAIDSYNC_TOKEN_KEY} no longer lists, by id, and
	 * how many there are. Index-backed at any fleet size: the key ids in use are found by skipping through
	 * {@code idx_plaid_items_token_key} (one probe per distinct key), then only the items of missing keys are read,
	 * each key's in id order up to the end of the page.
	 */
	public Page<UnreadableToken> itemsWithUnreadableTokens(PageRequest request) {
		String[] keys = this.cipher.keyIds().toArray(String[]::new);
		List<UnreadableToken> items = this.jdbc.sql(MISSING_KEYS + """
				SELECT i.item_id, i.user_id, i.institution_id, i.status, i.access_token_key_id AS missing_key_id, i.updated_at
				FROM missing m
				JOIN LATERAL (SELECT * FROM plaid_items p WHERE p.access_token_key_id = m.key_id AND p.status <> 'REMOVED'
				              ORDER BY p.id LIMIT :through) i ON true
				ORDER BY i.id LIMIT :limit OFFSET :offset
				""")
			.param("keys", keys)
			.param("through", request.offset() + request.size())
			.param("limit", request.size())
			.param("offset", request.offset())
			.query(UnreadableToken.class)
			.list();
		long counted = this.jdbc.sql(MISSING_KEYS + """
				SELECT count(*) FROM missing m
				JOIN LATERAL (SELECT 1 FROM plaid_items p WHERE p.access_token_key_id = m.key_id AND p.status <> 'REMOVED'
				              LIMIT :cap) i ON true
				""").param("keys", keys).param("cap", Page.COUNT_LIMIT).query(Long.class).single();
		return Page.of(items, counted);
	}

	private static final String MISSING_KEYS = """
			WITH RECURSIVE present (key_id) AS (
			    (SELECT access_token_key_id FROM plaid_items WHERE status <> 'REMOVED'
			     ORDER BY access_token_key_id LIMIT 1)
			    UNION ALL
			    SELECT (SELECT i.access_token_key_id FROM plaid_items i
			            WHERE i.status <> 'REMOVED' AND i.access_token_key_id > p.key_id
			            ORDER BY i.access_token_key_id LIMIT 1)
			    FROM present p WHERE p.key_id IS NOT NULL
			), missing AS (
			    SELECT key_id FROM present WHERE key_id IS NOT NULL AND NOT (key_id = ANY (:keys))
			)
			""";

	/** An item whose access token no configured key can decrypt (snake_case, as the console reads it). */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	public record UnreadableToken(String itemId, UUID userId, String institutionId, String status, String missingKeyId,
			OffsetDateTime updatedAt) {
	}

	/**
	 * Starts {@code tokenReencryptJob} for the current key, asynchronously if the job operator is.
	 * @throws IllegalStateException when a run is already going
	 */
	public JobExecution startReencryption() throws Exception {
		if (!this.jobRepository.findRunningJobExecutions(TokenReencryptJobConfiguration.JOB_NAME).isEmpty()) {
			throw new IllegalStateException("A token re-encryption is already running; stop it or wait for it to end");
		}
		return this.jobOperator.start(this.job, new JobParametersBuilder().addString("keyId", currentKeyId())
			.addString("slot", "ops:" + UUID.randomUUID())
			.toJobParameters());
	}

}
