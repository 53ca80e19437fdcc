package controlplane.core.persistence;

import controlplane.core.crypto.Sealed;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One stored password of a site, sealed. */
public record CredentialVersion(UUID id, UUID siteId, VersionState state, Sealed sealed, OffsetDateTime createdAt,
                                OffsetDateTime updatedAt, OffsetDateTime invalidatedAt, OffsetDateTime leaseExpiresAt,
                                int attempts, String lastError) {
}
