package dev.plaidsync.sync.layeringfixture.runtime;

import dev.plaidsync.sync.layeringfixture.pipeline.PipelineStep;

/**
 * Breaks the layering on purpose: the runtime uses the pipeline (see SyncLayeringTests).
 */
public class RuntimeReachingUp {

	PipelineStep step = new PipelineStep();

}
