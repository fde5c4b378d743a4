package dev.plaidsync.sync.runtime;

import org.springframework.context.ApplicationContext;

/** For tests outside this package: runs one of the job runtime's periodic tasks now, in the test's thread. */
public final class JobRuntimeProbe {

	private JobRuntimeProbe() {
	}

	/** One pass of orphan recovery's resume step (what it does every interval when auto-resume is on). */
	public static void resumeOrphans(ApplicationContext engine) {
		engine.getBean(OrphanRecovery.class).resume();
	}

}
