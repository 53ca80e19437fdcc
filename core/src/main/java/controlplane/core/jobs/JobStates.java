package controlplane.core.jobs;

/** The states of a job and of its sites, as stored (V10) and as answered. */
final class JobStates {

  // A job
  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String COMPLETED = "completed";
  static final String CANCELLED = "cancelled";

  // A site's outcome
  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";
  static final String UNKNOWN = "unknown";

  private JobStates() {
  }
}
