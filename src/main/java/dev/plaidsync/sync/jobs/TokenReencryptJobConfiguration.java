package dev.plaidsync.sync.jobs;

import java.time.Instant;

import dev.plaidsync.items.AccessTokenKeys.StoredToken;
import dev.plaidsync.items.AccessTokenKeys;
import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.sync.MaintenanceJobs;
import dev.plaidsync.sync.pipeline.FetchAheadReader;
import dev.plaidsync.sync.pipeline.FetchOutcome;
import dev.plaidsync.sync.pipeline.ItemJobWriter;
import dev.plaidsync.sync.pipeline.SyncItem;
import dev.plaidsync.sync.pipeline.SyncSteps;
import dev.plaidsync.sync.runtime.ExecutionOwnership;
import dev.plaidsync.sync.runtime.ItemFailureLog;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code tokenReencryptJob}: re-encrypts every stored access token under the first key of
 * {@code PLAIDSYNC_TOKEN_KEY} (its {@code keyId} parameter), so that an older key can
 * then be dropped from it. The runtime's reader pages through the tokens not under that
 * key ({@link AccessTokenKeys#tokensNotUnder}) and re-encrypts them ahead of the writer;
 * each row is rewritten only if it still holds the ciphertext that was read, so a token
 * relinked meanwhile is never overwritten. A token that cannot be decrypted (its key is
 * no longer listed, or it was altered) is left as it is and recorded in the runtime's
 * failure log with the key id it needs. Progress like the syncs'. No Plaid call is made.
 */
@Configuration(proxyBeanMethods = false)
class TokenReencryptJobConfiguration {

	@Bean
	Job tokenReencryptJob(JobRepository jobRepository, Step tokenReencryptStep, ExecutionOwnership executionOwnership) {
		return new JobBuilder(MaintenanceJobs.TOKEN_REENCRYPT, jobRepository).start(tokenReencryptStep)
			.listener(executionOwnership)
			.build();
	}

	@Bean
	Step tokenReencryptStep(SyncSteps steps, FetchAheadReader<StoredToken> tokenReencryptReader,
			ItemJobWriter<StoredToken> tokenReencryptWriter) {
		return steps.step("tokenReencryptStep", tokenReencryptReader, tokenReencryptWriter);
	}

	@Bean
	@StepScope
	FetchAheadReader<StoredToken> tokenReencryptReader(AccessTokenKeys keys,
			PlatformTransactionManager transactionManager, AsyncTaskExecutor plaidFetchExecutor,
			SyncProperties properties, @Value("#{jobParameters['keyId']}") String keyId) {
		keys.requireCurrent(keyId);
		FetchAheadReader.ItemPages tokens = (afterId, limit) -> keys.tokensNotUnder(keyId, afterId, limit)
			.stream()
			.map(TokenReencryptJobConfiguration::item)
			.toList();
		return new FetchAheadReader<>(FetchAheadReader.ItemPages.outsideTransactions(transactionManager, tokens),
				(item) -> reencrypt(keys, item), plaidFetchExecutor, properties.fetchAhead(), properties.chunkSize());
	}

	@Bean
	@StepScope
	ItemJobWriter<StoredToken> tokenReencryptWriter(AccessTokenKeys keys, ItemFailureLog failureLog,
			SyncProgressLog progressLog, @Value("#{jobParameters['keyId']}") String keyId) {
		return new ItemJobWriter<>(failureLog, progressLog, (afterId) -> keys.countTokensNotUnder(keyId, afterId),
				(done) -> keys.storeReencrypted(stored(done.item()), done.data()));
	}

	private static FetchOutcome<StoredToken> reencrypt(AccessTokenKeys keys, SyncItem item) {
		Instant at = Instant.now();
		try {
			return new FetchOutcome.Fetched<>(item, keys.reencrypted(stored(item)), at);
		}
		catch (AccessTokenUnreadable unreadable) {
			return new FetchOutcome.Failed<>(item, PlaidFailure.Kind.ITEM_FAILED, "ACCESS_TOKEN_UNREADABLE",
					unreadable.getMessage(), Instant.now());
		}
	}

	private static SyncItem item(StoredToken token) {
		return new SyncItem(token.id(), token.itemId(), null, null, token.keyId(), token.ciphertext(), null, null);
	}

	private static StoredToken stored(SyncItem item) {
		return new StoredToken(item.id(), item.itemId(), item.keyId(), item.ciphertext());
	}

}
