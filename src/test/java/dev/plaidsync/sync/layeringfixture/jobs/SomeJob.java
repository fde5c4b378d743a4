package dev.plaidsync.sync.layeringfixture.jobs;

import dev.plaidsync.sync.layeringfixture.pipeline.PipelineStep;

/** A job on the pipeline, as the layering allows (see SyncLayeringTests). */
public class SomeJob {

	PipelineStep step = new PipelineStep();

}
