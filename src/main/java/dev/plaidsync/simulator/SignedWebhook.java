package dev.plaidsync.simulator;

/**
 * A body signed as the simulator signs its webhooks.
 *
 * @param verification the {@code Plaid-Verification} header: an ES256 JWT with
 * {@code iat} and {@code request_body_sha256}
 * @param keyId the {@code kid} it was signed with
 */
public record SignedWebhook(String verification, String keyId) {
}
