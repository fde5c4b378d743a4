package dev.plaidsync.sync;

/** The sync jobs, by the name their Spring Batch job carries. */
public enum SyncJob {

	HOLDINGS("holdingsSyncJob"), TRANSACTIONS("transactionsSyncJob"), BALANCES("balancesSyncJob");

	private final String jobName;

	SyncJob(String jobName) {
		this.jobName = jobName;
	}

	public String jobName() {
		return this.jobName;
	}

	public static SyncJob ofJobName(String jobName) {
		for (SyncJob job : values()) {
			if (job.jobName.equals(jobName)) {
				return job;
			}
		}
		throw new IllegalArgumentException("No sync job is named '" + jobName + "'");
	}

}
