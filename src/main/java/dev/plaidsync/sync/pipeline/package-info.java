/**
 * The chunk step every item job runs: items read by key outside any transaction, fetched
 * ahead on the fetch pool ({@link dev.plaidsync.sync.pipeline.FetchAheadReader}), written
 * in the chunk's transaction by a {@link dev.plaidsync.sync.pipeline.SyncWriter} or an
 * {@link dev.plaidsync.sync.pipeline.ItemJobWriter}, with the skip policy for items the
 * database refuses, and the tables every sync writer shares (securities, accounts, the
 * follow-up list, the items' failures). Builds on {@code runtime}.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync.sync.pipeline;
