/**
 * Everything that speaks Plaid's API: the plaid-java client, error classification, the
 * shared rate budget, retry and backoff. The public face is
 * {@link dev.plaidsync.plaid.PlaidGateway} and {@link dev.plaidsync.plaid.PlaidFailure}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "common")
@org.jspecify.annotations.NullMarked
package dev.plaidsync.plaid;
