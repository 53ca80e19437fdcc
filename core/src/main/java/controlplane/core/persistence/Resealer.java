package controlplane.core.persistence;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealed;
import controlplane.core.crypto.Sealer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-seals every stored password under the active key of a key ring, so that an old key can then be retired. Each
 * value is opened with its own key and sealed again with a fresh nonce; a value changed meanwhile is left to its
 * writer (which already used the active key). Safe to run while the service runs, and to run again.
 */
public final class Resealer {

  private static final Logger LOG = LoggerFactory.getLogger(Resealer.class);
  private static final int BATCH = 200;

  private Resealer() {
  }

  /**
   * Re-seals every credential version and every reconcile account (V11) not sealed with
   * {@code keyRing.activeKeyId()}; completes with how many were re-sealed. Fails when a value cannot be opened (its
   * key is not in the ring, or it was tampered with).
   */
  public static Future<Integer> resealAll(Pool pool, KeyRing keyRing) {
    Sealer sealer = new Sealer(keyRing);
    return round(pool, sealer, new CredentialRepository(), 0, 0)
        .compose(n -> accounts(pool, sealer, new PolicyRepository(), n, 0)).andThen(ar -> {
      if (ar.succeeded()) {
        LOG.info("re-sealed {} stored passwords (credential versions, reconcile accounts) under key {}", ar.result(), keyRing.activeKeyId());
      }
    });
  }

  private static Future<Integer> round(Pool pool, Sealer sealer, CredentialRepository repo, int done, int rounds) {
    return repo.notSealedWith(pool, sealer.keyRing().activeKeyId(), BATCH).compose(batch -> {
      if (batch.isEmpty() || rounds > 10_000) {
        return Future.succeededFuture(done);
      }
      return resealBatch(pool, sealer, repo, batch)
          .compose(n -> round(pool, sealer, repo, done + n, rounds + 1));
    });
  }

  private static Future<Integer> accounts(Pool pool, Sealer sealer, PolicyRepository repo, int done, int rounds) {
    return repo.accountsNotSealedWith(pool, sealer.keyRing().activeKeyId(), BATCH).compose(batch -> {
      if (batch.isEmpty() || rounds > 10_000) {
        return Future.succeededFuture(done);
      }
      Future<Integer> chain = Future.succeededFuture(0);
      for (PolicyRepository.StoredAccount a : batch) {
        String plain = sealer.open(a.account().sealed(), a.siteId(), a.account().id());
        Sealed fresh = sealer.seal(plain, a.siteId(), a.account().id());
        chain = chain.compose(n -> repo.reseal(pool, a, fresh).map(ok -> ok ? n + 1 : n));
      }
      return chain.compose(n -> accounts(pool, sealer, repo, done + n, rounds + 1));
    });
  }

  private static Future<Integer> resealBatch(Pool pool, Sealer sealer, CredentialRepository repo,
                                             List<CredentialVersion> batch) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (CredentialVersion v : batch) {
      String plain = sealer.open(v.sealed(), v.siteId(), v.id());
      Sealed fresh = sealer.seal(plain, v.siteId(), v.id());
      chain = chain.compose(n -> repo.reseal(pool, v, fresh).map(ok -> ok ? n + 1 : n));
    }
    return chain;
  }
}
