package dev.plaidsync.sync.layeringfixture;

import dev.plaidsync.sync.layeringfixture.jobs.SomeJob;

/** Breaks the layering on purpose: the API uses a job (see SyncLayeringTests). */
public class RootReachingDown {

	SomeJob job = new SomeJob();

}
