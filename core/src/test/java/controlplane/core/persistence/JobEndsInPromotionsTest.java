package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * cp_promote_job_sites (V17): promotions that end their bulk-job sites and claim the next ones in the same
 * statement, on a real PostgreSQL.
 */
class JobEndsInPromotionsTest extends DatabaseSuite {

  private final RotationSlots slots = new RotationSlots();
  private final SiteRepository sites = new SiteRepository();
  private final CredentialRepository credentials = new CredentialRepository();
  private final Sealer sealer = new Sealer(KeyRing.of(Map.of("k1", key()), "k1"));
  private JobRepository jobs;

  /** A job over {@code n} new sites of a new organisation. */
  private JobRepository.Job job(String org, int n, int maxInFlight) {
    jobs = new JobRepository(pool);
    for (int i = 0; i < n; i++) {
      site(org);
    }
    return await(jobs.create(UUID.randomUUID(), org, "alice", new JsonObject(),
        new JobRepository.Selection(null, null, null), maxInFlight, null, null)).job();
  }

  private UUID site(String org) {
    UUID id = UUID.randomUUID();
    await(sites.upsert(pool, id, org, "api-" + id, "100.64.0.1", 8728, "edge", false));
    return id;
  }

  /** Takes the site's slot: its PENDING version's id. */
  private UUID pending(UUID site, String org) {
    UUID version = UUID.randomUUID();
    assertThat(await(slots.take(pool, site, org, version, sealer.seal("new-" + version, site, version), 30, "alice",
        null))).isPresent();
    return version;
  }

  private RotationSlots.PromoteCall call(UUID site, UUID version, UUID jobId, boolean claimNext) {
    return new RotationSlots.PromoteCall(site, version, "alice", null, null, null,
        jobId == null ? null : new RotationSlots.JobEnd(jobId, "me", 60, 10, claimNext));
  }

  private String jobSiteState(UUID jobId, UUID site) {
    return (String) jdbc.query("SELECT state FROM rotation_job_sites WHERE job_id = ? AND site_id = ?", jobId, site)
        .get(0).get("state");
  }

  @Test
  @DisplayName("a batch promotes every call; each job call's site ends as succeeded and is counted, the places they"
      + " free are claimed for the job's first ended call; a call without a job has no job end")
  void promotionsEndTheirSites() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 5, 2);
    List<JobRepository.Claimed> claimed = await(jobs.claim(j.id(), "me", 60, 10));
    assertThat(claimed).hasSize(2);
    String plainOrg = "org-" + UUID.randomUUID();
    UUID plain = site(plainOrg);
    UUID a = claimed.get(0).siteId();
    UUID b = claimed.get(1).siteId();
    UUID va = pending(a, org);
    UUID vPlain = pending(plain, plainOrg);
    UUID vb = pending(b, org);

    List<RotationSlots.Promoted> answers = await(slots.promoteEndingJobSites(pool, List.of(
        call(a, va, j.id(), true), call(plain, vPlain, null, true), call(b, vb, j.id(), true))));

    assertThat(answers).allSatisfy(p -> assertThat(p.version()).get()
        .satisfies(v -> assertThat(v.state()).isEqualTo(VersionState.CURRENT)));
    assertThat(answers).extracting(p -> p.version().orElseThrow().id()).containsExactly(va, vPlain, vb);
    assertThat(answers.get(1).jobEnd()).isNull();
    assertThat(answers.get(0).jobEnd().counted()).isTrue();
    assertThat(answers.get(2).jobEnd().counted()).isTrue();
    assertThat(answers.get(0).jobEnd().next()).hasSize(2).allSatisfy(c -> {
      assertThat(c.jobId()).isEqualTo(j.id());
      assertThat(c.orgId()).isEqualTo(org);
      assertThat(c.siteId()).isNotIn(a, b);
    });
    assertThat(answers.get(2).jobEnd().next()).isEmpty();
    assertThat(jobSiteState(j.id(), a)).isEqualTo("succeeded");
    assertThat(jobSiteState(j.id(), b)).isEqualTo("succeeded");
    JobRepository.Job after = await(jobs.find(j.id(), org)).orElseThrow();
    assertThat(after.succeeded()).isEqualTo(2);
    assertThat(after.state()).isEqualTo("running");
  }

  @Test
  @DisplayName("a job call whose version is no longer PENDING is not promoted and leaves its site running, uncounted;"
      + " one whose claim another process holds now is promoted but neither ends nor counts the site")
  void onlyPromotedAndHeldSitesEnd() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 3, 3);
    List<JobRepository.Claimed> claimed = await(jobs.claim(j.id(), "me", 60, 10));
    UUID settled = claimed.get(0).siteId();
    UUID lost = claimed.get(1).siteId();
    UUID vSettled = pending(settled, org);
    UUID vLost = pending(lost, org);
    await(pool.withTransaction(tx -> credentials.fail(tx, vSettled, "settled elsewhere")));
    jdbc.update("UPDATE rotation_job_sites SET claimed_by = 'other' WHERE job_id = ? AND site_id = ?", j.id(), lost);

    List<RotationSlots.Promoted> answers = await(slots.promoteEndingJobSites(pool, List.of(
        call(settled, vSettled, j.id(), true), call(lost, vLost, j.id(), true))));

    assertThat(answers.get(0).version()).isEmpty();
    assertThat(answers.get(0).jobEnd()).isNull();
    assertThat(answers.get(1).version()).isPresent();
    assertThat(answers.get(1).jobEnd().counted()).isFalse();
    assertThat(answers.get(1).jobEnd().next()).isEmpty();
    assertThat(jobSiteState(j.id(), settled)).isEqualTo("running");
    assertThat(jobSiteState(j.id(), lost)).isEqualTo("running");
    assertThat(await(jobs.find(j.id(), org)).orElseThrow().succeeded()).isZero();
  }

  @Test
  @DisplayName("a job whose calls ask for no more sites claims none; its last site's end completes it; the promotion"
      + " and the end commit without waiting for the disk, in one transaction")
  void lastEndCompletesWithoutClaims() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 2, 1);
    List<JobRepository.Claimed> first = await(jobs.claim(j.id(), "me", 60, 10));
    UUID s1 = first.get(0).siteId();
    List<RotationSlots.Promoted> one = await(slots.promoteEndingJobSites(pool,
        List.of(call(s1, pending(s1, org), j.id(), false))));
    assertThat(one.get(0).jobEnd().counted()).isTrue();
    assertThat(one.get(0).jobEnd().next()).isEmpty();

    List<JobRepository.Claimed> second = await(jobs.claim(j.id(), "me", 60, 10));
    assertThat(second).hasSize(1);
    UUID s2 = second.get(0).siteId();
    UUID v2 = pending(s2, org);
    List<String> inside = new ArrayList<>();
    await(pool.withTransaction(tx -> tx.query("SET LOCAL synchronous_commit = on").execute()
        .compose(v -> slots.promoteEndingJobSites(tx, List.of(call(s2, v2, j.id(), true))))
        .compose(answers -> {
          inside.add(answers.get(0).jobEnd().counted() + " " + answers.get(0).jobEnd().next().size());
          return tx.query("SELECT current_setting('synchronous_commit')").execute();
        })
        .map(setting -> inside.add(setting.iterator().next().getString(0)))));

    assertThat(inside).containsExactly("true 0", "off");
    JobRepository.Job done = await(jobs.find(j.id(), org)).orElseThrow();
    assertThat(done.state()).isEqualTo("completed");
    assertThat(done.succeeded()).isEqualTo(2);
    assertThat(await(credentials.find(pool, v2)).orElseThrow().state()).isEqualTo(VersionState.CURRENT);
  }
}
