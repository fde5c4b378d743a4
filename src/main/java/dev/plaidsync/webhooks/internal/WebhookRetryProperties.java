package dev.plaidsync.webhooks.internal;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a webhook whose sync failed for a passing reason is tried again
 * ({@code plaidsync.webhooks.retry.*}): the delay doubles from {@code initialDelay} up to
 * {@code maxDelay}, at most {@code maxRetries} times; then, or at once for a failure that
 * needs a person, the event is FAILED with Plaid's code.
 */
@Validated
@ConfigurationProperties("plaidsync.webhooks.retry")
record WebhookRetryProperties(@NotNull @DefaultValue("1m") Duration initialDelay,
		@NotNull @DefaultValue("1h") Duration maxDelay, @Min(0) @Max(20) @DefaultValue("5") int maxRetries) {

}
