/**
 * The jobs, one configuration class each with its reader and writer:
 * {@code holdingsSyncJob}, {@code transactionsSyncJob}, {@code balancesSyncJob}, and the
 * operators' {@code webhookUrlUpdateJob} and {@code tokenReencryptJob}; the tables only
 * one job writes ({@code holdings}, {@code investment_transactions}, the holdings
 * history), and their erasure when an item or account is removed. Builds on
 * {@code pipeline} and {@code runtime}; nothing builds on it.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync.sync.jobs;
