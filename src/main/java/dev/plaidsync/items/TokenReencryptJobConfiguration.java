package dev.plaidsync.items;

import java.util.Map;

import javax.sql.DataSource;

import dev.plaidsync.common.ExecutionOwnership;
import dev.plaidsync.common.KeyResumingPagingItemReader;
import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code tokenReencryptJob}: re-encrypts every stored access token under the first key of
 * {@code PLAIDSYNC_TOKEN_KEY}, so that an older key can then be dropped from it. Chunked and restartable (the reader
 * resumes after the last committed item id); each row is rewritten only if it still holds the ciphertext that was
 * read, so a token relinked meanwhile is never overwritten. A token that cannot be decrypted (its key is no longer
 * listed, or it was altered) is left as it is and recorded in {@code sync_item_failures} with the key id it needs.
 * Progress (done of total, failures) is kept like the syncs'. No Plaid call is made.
 */
@Configuration(proxyBeanMethods = false)
class TokenReencryptJobConfiguration {

	static final String JOB_NAME = "tokenReencryptJob";

	private static final int CHUNK_SIZE = 100;

	@Bean
	Job tokenReencryptJob(JobRepository jobRepository, Step tokenReencryptStep, ExecutionOwnership executionOwnership) {
		return new JobBuilder(JOB_NAME, jobRepository).start(tokenReencryptStep).listener(executionOwnership).build();
	}

	@Bean
	Step tokenReencryptStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<StoredToken> tokenReencryptReader, ItemProcessor<StoredToken, Reencrypted> tokenReencryptor,
			ItemWriter<Reencrypted> tokenReencryptWriter, JdbcClient jdbc) {
		return new StepBuilder("tokenReencryptStep", jobRepository).<StoredToken, Reencrypted>chunk(CHUNK_SIZE)
			.transactionManager(transactionManager)
			.reader(tokenReencryptReader)
			.processor(tokenReencryptor)
			.writer(tokenReencryptWriter)
			.listener(new ProgressTotal(jdbc))
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<StoredToken> tokenReencryptReader(DataSource dataSource,
			@Value("#{jobParameters['keyId']}") String keyId) throws Exception {
		PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
		query.setSelectClause("SELECT id, item_id, access_token_key_id, access_token_ciphertext");
		query.setFromClause("FROM plaid_items");
		query.setWhereClause("status <> 'REMOVED' AND access_token_key_id <> :keyId");
		query.setSortKeys(Map.of("id", Order.ASCENDING));
		KeyResumingPagingItemReader<StoredToken> reader = new KeyResumingPagingItemReader<>(dataSource, query);
		reader.setName("tokenReencryptReader");
		reader.setPageSize(CHUNK_SIZE);
		reader.setParameterValues(Map.of("keyId", keyId));
		reader.setRowMapper((row, number) -> new StoredToken(row.getString("item_id"),
				new EncryptedToken(row.getString("access_token_key_id"), row.getBytes("access_token_ciphertext"))));
		reader.afterPropertiesSet();
		return reader;
	}

	@Bean
	@StepScope
	ItemProcessor<StoredToken, Reencrypted> tokenReencryptor(AccessTokenCipher cipher,
			@Value("#{jobParameters['keyId']}") String keyId) {
		if (!keyId.equals(cipher.currentKeyId())) {
			throw new IllegalStateException("This run re-encrypts under key '" + keyId + "', but the first key of "
					+ AccessTokenCipher.VARIABLE + " is now '" + cipher.currentKeyId() + "': start a new run instead");
		}
		return (stored) -> {
			try {
				return new Reencrypted(stored, cipher.reencrypt(stored.itemId(), stored.token()), null);
			}
			catch (AccessTokenUnreadable unreadable) {
				return new Reencrypted(stored, null, unreadable.getMessage());
			}
		};
	}

	@Bean
	@StepScope
	ItemWriter<Reencrypted> tokenReencryptWriter(JdbcClient jdbc, @Value("#{stepExecution}") StepExecution stepExecution) {
		return (chunk) -> {
			long failed = 0;
			for (Reencrypted outcome : chunk) {
				if (outcome.token() != null) {
					jdbc.sql("""
							UPDATE plaid_items SET access_token_key_id = :keyId, access_token_ciphertext = :ciphertext,
							    updated_at = now()
							WHERE item_id = :itemId AND access_token_key_id = :oldKeyId AND access_token_ciphertext = :oldCiphertext
							""")
						.param("keyId", outcome.token().keyId())
						.param("ciphertext", outcome.token().ciphertext())
						.param("itemId", outcome.stored().itemId())
						.param("oldKeyId", outcome.stored().token().keyId())
						.param("oldCiphertext", outcome.stored().token().ciphertext())
						.update();
				}
				else {
					failed++;
					jdbc.sql("""
							INSERT INTO sync_item_failures (job_execution_id, job_name, item_id, failure_kind, error_code, message)
							VALUES (:execution, :job, :item, 'ITEM_FAILED', 'ACCESS_TOKEN_UNREADABLE', :message)
							""").param("execution", stepExecution.getJobExecutionId()).param("job", JOB_NAME)
						.param("item", outcome.stored().itemId()).param("message", outcome.failure()).update();
				}
			}
			stepExecution.getExecutionContext().putLong("sync.failed",
					stepExecution.getExecutionContext().getLong("sync.failed", 0L) + failed);
		};
	}

	record StoredToken(String itemId, EncryptedToken token) {
	}

	record Reencrypted(StoredToken stored, EncryptedToken token, String failure) {
	}

	/** The tokens left to re-encrypt, so the run shows done of total, rate and ETA like the syncs. */
	private record ProgressTotal(JdbcClient jdbc) implements StepExecutionListener {

		@Override
		public void beforeStep(StepExecution stepExecution) {
			String keyId = stepExecution.getJobParameters().getString("keyId");
			stepExecution.getExecutionContext().putLong("sync.total", this.jdbc.sql("""
					SELECT count(*) FROM plaid_items WHERE status <> 'REMOVED' AND access_token_key_id <> :keyId
					""").param("keyId", keyId).query(Long.class).single() + stepExecution.getReadCount());
		}

		@Override
		public ExitStatus afterStep(StepExecution stepExecution) {
			return stepExecution.getExitStatus();
		}

	}

}
