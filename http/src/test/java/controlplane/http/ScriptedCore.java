package controlplane.http;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for core on the event bus: every http -> core address answers a fixed object, or what a test scripts,
 * and records the requests it received.
 */
final class ScriptedCore {

  static final String SITE_ID = "d290f1ee-6c54-4b01-90e6-d701748f0851";
  static final String ORG = "org-a";
  static final String SECRET_PASSWORD = "Extr3m3lyS3cur3P@ssw0rdG3n3r@t3d";

  static final List<String> ADDRESSES = List.of(Addresses.ROTATE, Addresses.CREDENTIALS_GET, Addresses.RESEND,
    Addresses.SITE_PUT, Addresses.SITE_GET, Addresses.SITE_DELETE, Addresses.DELETED_SITES_LIST,
    Addresses.SITE_RECOVER, Addresses.SITE_PURGE, Addresses.PERSISTENCE_HEALTH, Addresses.JOB_CREATE,
    Addresses.JOB_GET, Addresses.JOBS_LIST, Addresses.JOB_CANCEL, Addresses.POLICY_GET,
    Addresses.POLICY_PUT, Addresses.POLICY_DELETE);

  private final Map<String, Function<JsonObject, Future<JsonObject>>> scripts = new ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  static JsonObject credential(String siteId) {
    return new JsonObject()
      .put("id", "b7a6c5d4-e3f2-1098-7654-3210abcdef98")
      .put("site_id", siteId)
      .put("username", "altostrat-api")
      .put("password", SECRET_PASSWORD)
      .put("ip_address", "100.64.1.23")
      .put("api_port", 8728)
      .put("server_ip", "edge-us-east-1a.ostrat.io")
      .put("created_at", "2025-10-28T05:00:00Z")
      .put("updated_at", "2025-10-28T05:00:00Z")
      // extra fields core might add must never reach the client
      .put("state", "CURRENT")
      .put("key_id", "k1");
  }

  static JsonObject site(String siteId) {
    return new JsonObject()
      .put("site_id", siteId)
      .put("org_id", ORG)
      .put("username", "altostrat-api")
      .put("ip_address", "100.64.1.23")
      .put("api_port", 8728)
      .put("server_ip", "edge-us-east-1a.ostrat.io")
      .put("tls", false)
      .put("status", "in_sync")
      .put("created_at", "2025-10-28T05:00:00Z")
      .put("updated_at", "2025-10-28T05:00:00Z")
      .put("password", SECRET_PASSWORD);
  }

  /** A deleted site as core lists it (with the password a buggy core might leak, which must not get out). */
  static JsonObject deletedSite(String siteId) {
    return site(siteId).put("deleted_at", "2025-10-28T06:00:00Z").put("purge_at", "2025-11-27T06:00:00Z");
  }

  /** A bulk rotation job as core answers it. */
  static JsonObject job(String jobId, String state) {
    return new JsonObject().put("id", jobId).put("state", state).put("total", 3).put("succeeded", 1)
      .put("failed", 0).put("unknown", 0).put("remaining", 2).put("created_at", "2025-10-28T05:00:00Z")
      .put("updated_at", "2025-10-28T05:00:01Z").putNull("finished_at");
  }

  /** A stored policy as core answers it: the request's organisation and site, a daily period. */
  static JsonObject policy(JsonObject request) {
    return new JsonObject().put("org_id", request.getString("org_id")).put("site_id", request.getString("site_id"))
      .put("rotation_period_seconds", 86400).putNull("rotation_schedule").put("rotation_window_seconds", 600)
      .putNull("drift_check_period_seconds").put("created_at", "2025-10-28T05:00:00Z")
      .put("updated_at", "2025-10-28T05:00:00Z");
  }

  /** Registers the default answers on every address. */
  Future<Void> register(Vertx vertx) {
    script(Addresses.ROTATE, m -> Future.succeededFuture(credential(m.getString("site_id"))));
    script(Addresses.CREDENTIALS_GET, m -> Future.succeededFuture(credential(m.getString("site_id"))));
    script(Addresses.RESEND, m -> Future.succeededFuture(credential(m.getString("site_id"))));
    script(Addresses.SITE_PUT, m -> Future.succeededFuture(site(m.getString("site_id"))));
    script(Addresses.SITE_GET, m -> Future.succeededFuture(site(m.getString("site_id"))));
    script(Addresses.SITE_DELETE, m -> Future.succeededFuture(new JsonObject().put("deleted", true)));
    script(Addresses.DELETED_SITES_LIST, m -> Future.succeededFuture(new JsonObject()
      .put("deleted_sites", new io.vertx.core.json.JsonArray().add(deletedSite(SITE_ID)))
      .put("next_after", SITE_ID)));
    script(Addresses.SITE_RECOVER, m -> Future.succeededFuture(site(m.getString("site_id"))));
    script(Addresses.SITE_PURGE, m -> Future.succeededFuture(new JsonObject().put("deleted", true)));
    script(Addresses.JOB_CREATE, m -> Future.succeededFuture(job(SITE_ID, "queued")));
    script(Addresses.JOB_GET, m -> Future.succeededFuture(job(m.getString("job_id"), "running")));
    script(Addresses.JOBS_LIST, m -> Future.succeededFuture(new JsonObject()
      .put("jobs", new io.vertx.core.json.JsonArray().add(job(SITE_ID, "running")))));
    script(Addresses.JOB_CANCEL, m -> Future.succeededFuture(job(m.getString("job_id"), "cancelled")
      .put("finished_at", "2025-10-28T05:00:02Z")));
    script(Addresses.POLICY_GET, m -> Future.succeededFuture(policy(m)));
    script(Addresses.POLICY_PUT, m -> Future.succeededFuture(policy(m)));
    script(Addresses.POLICY_DELETE, m -> Future.succeededFuture(new JsonObject().put("deleted", true)));
    script(Addresses.PERSISTENCE_HEALTH,
      m -> Future.succeededFuture(new JsonObject().put("database", true).put("migrations", true)));
    List<Future<Void>> registrations = new ArrayList<>();
    for (String address : ADDRESSES) {
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, message -> {
        received.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(message.body());
        scripts.get(address).apply(message.body()).onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(ar.result());
          } else if (ar.cause() instanceof io.vertx.core.eventbus.ReplyException re) {
            message.fail(re.failureCode(), re.getMessage());
          } else {
            message.fail(Failure.INTERNAL_ERROR.code(), String.valueOf(ar.cause().getMessage()));
          }
        });
      });
      consumers.add(consumer);
      registrations.add(consumer.completion());
    }
    return Future.all(registrations).mapEmpty();
  }

  /** Removes the consumer of {@code address} (no handlers on the bus). */
  Future<Void> unregister(String address) {
    List<Future<Void>> done = new ArrayList<>();
    consumers.stream().filter(c -> c.address().equals(address)).forEach(c -> done.add(c.unregister()));
    return Future.all(done).mapEmpty();
  }

  void script(String address, Function<JsonObject, Future<JsonObject>> answer) {
    scripts.put(address, answer);
  }

  void failWith(String address, Failure failure, String text) {
    script(address, m -> Future.failedFuture(failure.exception(text)));
  }

  /** Never answers (the event bus times out). */
  void stall(String address) {
    script(address, m -> Promise.<JsonObject>promise().future());
  }

  List<JsonObject> received(String address) {
    return received.getOrDefault(address, List.of());
  }
}
