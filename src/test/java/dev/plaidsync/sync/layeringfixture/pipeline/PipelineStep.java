package dev.plaidsync.sync.layeringfixture.pipeline;

import dev.plaidsync.sync.layeringfixture.runtime.RuntimeReachingUp;

/** A pipeline on the runtime, as the layering allows (see SyncLayeringTests). */
public class PipelineStep {

	RuntimeReachingUp runtime;

}
