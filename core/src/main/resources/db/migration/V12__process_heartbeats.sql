-- Healing at once after a crash (docs/RELIABILITY.md, "Takeover of a dead process's rotations"). Every core process
-- registers a row here when it starts (a random id per start) and refreshes heartbeat_at every second or so; a
-- graceful stop deletes the row. A process whose heartbeat is older than reconciler.ownerDeadAfterMs is dead.
CREATE TABLE cp_processes (
  id           UUID PRIMARY KEY,
  host         TEXT        NOT NULL,
  pid          BIGINT      NOT NULL,
  started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The process whose rotation inserted a PENDING version (cp_take_slot's p_owner). While that process heartbeats, its
-- version is left alone until the lease expires; once it is dead, any live process takes the version over at once
-- (SqlQueries.CLAIM_ORPHANED). Null: no owner known (a version from before V12, or one a reconciler claimed): the
-- lease alone decides. No foreign key: a dead process's row may be removed while its versions are still PENDING,
-- which then counts as dead too.
ALTER TABLE credential_versions ADD COLUMN owner_process UUID;
