package dev.plaidsync.notifications;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;

import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs one event to the endpoint, signed as Standard Webhooks specify, with short
 * timeouts: a slow endpoint costs one delivery thread for at most
 * {@code connect-timeout + read-timeout}, and nothing else. The body is {@code {"type",
 * "timestamp", "data"}}; {@code webhook-id} is the event's message id, the same on every
 * attempt, and {@code webhook-timestamp} the attempt's time in epoch seconds.
 */
final class WebhookEndpoint {

	private final URI url;

	private final WebhookSignatures signatures;

	private final HttpClient http;

	private final Duration readTimeout;

	private final JsonMapper json;

	WebhookEndpoint(URI url, WebhookSignatures signatures, NotificationProperties.Webhook settings,
			ExecutorService executor, JsonMapper json) {
		this.url = url;
		this.signatures = signatures;
		this.readTimeout = settings.readTimeout();
		this.json = json;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(executor)
			.build();
	}

	/**
	 * The endpoint as the delivery log names it: scheme, host, port and path, no query.
	 */
	String name() {
		return this.url.getScheme() + "://" + this.url.getHost()
				+ ((this.url.getPort() != -1) ? ":" + this.url.getPort() : "")
				+ ((this.url.getRawPath() != null) ? this.url.getRawPath() : "");
	}

	String body(DeliveryQueue.Claim event) {
		return EventDocument.of(this.json, event.type(), event.occurredAt(), event.data());
	}

	DeliveryQueue.Attempt send(DeliveryQueue.Claim event) {
		String body = body(event);
		Instant now = Instant.now();
		long timestamp = now.getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(this.url)
			.timeout(this.readTimeout)
			.header("content-type", "application/json")
			.header("user-agent", "plaid-sync")
			.header("webhook-id", event.messageId())
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", this.signatures.sign(event.messageId(), timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
		long started = System.nanoTime();
		try {
			HttpResponse<Void> response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
			return new DeliveryQueue.Attempt(at, response.statusCode(), null, since(started));
		}
		catch (HttpConnectTimeoutException ex) {
			return new DeliveryQueue.Attempt(at, null, "connect timeout", since(started));
		}
		catch (HttpTimeoutException ex) {
			return new DeliveryQueue.Attempt(at, null, "read timeout", since(started));
		}
		catch (ConnectException ex) {
			return new DeliveryQueue.Attempt(at, null, "connection refused", since(started));
		}
		catch (IOException ex) {
			return new DeliveryQueue.Attempt(at, null, ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + truncated(ex.getMessage()) : ""), since(started));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new DeliveryQueue.Attempt(at, null, "interrupted (node shutting down)", since(started));
		}
	}

	private static String truncated(String message) {
		return (message.length() > 200) ? message.substring(0, 200) : message;
	}

	private static Duration since(long started) {
		return Duration.ofNanos(System.nanoTime() - started);
	}

}
