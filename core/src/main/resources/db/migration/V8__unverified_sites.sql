-- A site enrolled without proof that its password logs in (verify: false) is 'unverified' until a login with one of
-- its known passwords succeeds; the reconciler re-checks unverified sites as it re-checks out_of_sync ones.
ALTER TABLE sites DROP CONSTRAINT sites_status_check;
ALTER TABLE sites ADD CONSTRAINT sites_status_check CHECK (status IN ('in_sync', 'out_of_sync', 'unverified'));
DROP INDEX sites_out_of_sync;
CREATE INDEX sites_recheck ON sites (recheck_at) WHERE status IN ('out_of_sync', 'unverified');
