package controlplane.core.persistence;

import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.SiteReply;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A managed router, as stored. Holds no password. {@code tlsFingerprint}: the pinned certificate of an API-SSL
 * router, or null. {@code tlsServerName}: the host name an API-SSL router was enrolled by (the TLS server name and
 * what a CA-issued certificate must name; its {@code ipAddress} is what is dialled), or null.
 */
public record Site(UUID id, String orgId, String username, String ipAddress, int apiPort, String serverIp,
                   boolean tls, String status, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                   String tlsFingerprint, String tlsServerName) {

  /** A site without a TLS server name. */
  public Site(UUID id, String orgId, String username, String ipAddress, int apiPort, String serverIp, boolean tls,
              String status, OffsetDateTime createdAt, OffsetDateTime updatedAt, String tlsFingerprint) {
    this(id, orgId, username, ipAddress, apiPort, serverIp, tls, status, createdAt, updatedAt, tlsFingerprint, null);
  }

  /** A site without a pin. */
  public Site(UUID id, String orgId, String username, String ipAddress, int apiPort, String serverIp, boolean tls,
              String status, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    this(id, orgId, username, ipAddress, apiPort, serverIp, tls, status, createdAt, updatedAt, null);
  }

  public static final String IN_SYNC = "in_sync";
  public static final String OUT_OF_SYNC = "out_of_sync";
  /** Enrolled with {@code verify: false}: no login has proved its password yet; the reconciler re-checks it. */
  public static final String UNVERIFIED = "unverified";

  /** The public site object. */
  public SiteReply toReply() {
    return new SiteReply(id.toString(), orgId, username, ipAddress, apiPort, serverIp, tls, status,
        Timestamps.format(createdAt), Timestamps.format(updatedAt), tlsFingerprint);
  }

  /** The device-push target of this site, dialled at {@code address} (its address as checked, see TargetGuard). */
  public DeviceTarget target(String address) {
    return new DeviceTarget(id.toString(), address, apiPort, tls, username, tlsFingerprint, tlsServerName);
  }
}
