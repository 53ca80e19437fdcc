package controlplane.core.persistence;

import controlplane.core.ConfigurationException;
import controlplane.core.crypto.KeyCheck;
import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealed;
import controlplane.core.crypto.Sealer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checked before core serves: every configured key is the one that sealed this database's values under its id (it
 * opens the check value recorded for that id), and every key id that sealed stored values (credential versions and
 * reconcile accounts) is configured. A key id new to the database gets its check value recorded; two processes
 * starting together agree on one, because the first insert wins and each verifies what is stored. Fails with a
 * {@link ConfigurationException} naming the key id.
 */
public final class KeyCustody {

  private static final Logger LOG = LoggerFactory.getLogger(KeyCustody.class);

  private KeyCustody() {
  }

  public static Future<Void> verify(Pool pool, KeyRing ring) {
    return checks(pool).compose(recorded -> {
      for (String id : ring.keyIds()) {
        Sealed check = recorded.get(id);
        if (check != null && !KeyCheck.opens(ring, check)) {
          return Future.failedFuture(mismatch(id));
        }
      }
      return sealingKeyIds(pool).compose(sealing -> {
        for (String id : sealing) {
          if (!ring.keyIds().contains(id)) {
            return Future.failedFuture(new ConfigurationException("crypto.keys has no key " + id
                + ", which sealed stored passwords: configure that key (see docs/OPERATIONS.md)"));
          }
        }
        List<String> fresh = new ArrayList<>(new TreeSet<>(ring.keyIds()));
        fresh.removeAll(recorded.keySet());
        Future<Void> chain = Future.succeededFuture();
        for (String id : fresh) {
          chain = chain.compose(v -> record(pool, ring, id, sealing.contains(id)));
        }
        return chain.map(v -> fresh);
      });
    }).compose(fresh -> checks(pool).compose(recorded -> {
      for (String id : ring.keyIds()) {
        Sealed check = recorded.get(id);
        if (check == null || !KeyCheck.opens(ring, check)) {
          return Future.failedFuture(mismatch(id));
        }
      }
      LOG.info("key custody: {} configured key(s) match this database ({} recorded now)", ring.keyIds().size(),
          fresh.size());
      return Future.succeededFuture();
    }));
  }

  /**
   * Records the check value of {@code keyId}. A database that holds values sealed under that id from before checks
   * were recorded must open one of them with the key first, so that a wrong key is not recorded as the right one.
   */
  private static Future<Void> record(Pool pool, KeyRing ring, String keyId, boolean sealedValuesExist) {
    Future<Void> tried = !sealedValuesExist ? Future.succeededFuture()
        : pool.preparedQuery(SqlQueries.SELECT_ONE_SEALED_WITH).execute(Tuple.of(keyId)).compose(rows -> {
          for (Row r : rows) {
            Sealed sealed = new Sealed(r.getString("key_id"), r.getBuffer("nonce").getBytes(),
                r.getBuffer("sealed_password").getBytes());
            try {
              new Sealer(ring).open(sealed, r.getUUID("site_id"), r.getUUID("id"));
            } catch (Sealer.SealingException e) {
              return Future.failedFuture(mismatch(keyId));
            }
          }
          return Future.succeededFuture();
        });
    Sealed check = KeyCheck.seal(ring, keyId);
    return tried.compose(v -> pool.preparedQuery(SqlQueries.INSERT_KEY_CHECK)
        .execute(Tuple.of(keyId, Buffer.buffer(check.nonce()), Buffer.buffer(check.ciphertext()))).mapEmpty());
  }

  private static Future<Map<String, Sealed>> checks(Pool pool) {
    return pool.query(SqlQueries.SELECT_KEY_CHECKS).execute().map(rows -> {
      Map<String, Sealed> out = new HashMap<>();
      for (Row r : rows) {
        String id = r.getString("key_id");
        out.put(id, new Sealed(id, r.getBuffer("nonce").getBytes(), r.getBuffer("check_value").getBytes()));
      }
      return out;
    });
  }

  private static Future<Set<String>> sealingKeyIds(Pool pool) {
    return pool.query(SqlQueries.SELECT_SEALING_KEY_IDS).execute().map(rows -> {
      Set<String> out = new TreeSet<>();
      rows.forEach(r -> out.add(r.getString("key_id")));
      return out;
    });
  }

  private static ConfigurationException mismatch(String keyId) {
    return new ConfigurationException("crypto.keys." + keyId
        + " does not match the key that sealed this database's values");
  }
}
