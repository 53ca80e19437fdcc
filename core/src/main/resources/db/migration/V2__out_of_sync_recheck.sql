-- An out_of_sync site is looked at again by the reconciler, with a back-off: when one of its known passwords logs
-- in again (a router that refused every login for a while, say), that password becomes CURRENT and the site is back
-- in sync without an operator.
ALTER TABLE sites
  ADD COLUMN recheck_at       TIMESTAMPTZ,
  ADD COLUMN recheck_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sites_out_of_sync ON sites (recheck_at) WHERE status = 'out_of_sync';
