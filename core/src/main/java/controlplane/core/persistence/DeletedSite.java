package controlplane.core.persistence;

import java.time.OffsetDateTime;

/** A soft-deleted site: the site as it was, and when it was deleted. Its versions are kept until it is purged. */
public record DeletedSite(Site site, OffsetDateTime deletedAt) {
}
