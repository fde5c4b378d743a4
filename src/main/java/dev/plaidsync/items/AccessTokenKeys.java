package dev.plaidsync.items;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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

	/** Items (not removed) whose token was stored under a key id {@code PLAIDSYNC_TOKEN_KEY} no longer lists. */
	public List<Map<String, Object>> itemsWithUnreadableTokens() {
		return this.jdbc.sql("""
				SELECT item_id, user_id, institution_id, status, access_token_key_id AS missing_key_id, updated_at
				FROM plaid_items
				WHERE status <> 'REMOVED' AND NOT (access_token_key_id = ANY (:keys))
				ORDER BY id
				LIMIT 1000
				""").param("keys", this.cipher.keyIds().toArray(String[]::new)).query().listOfRows();
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
