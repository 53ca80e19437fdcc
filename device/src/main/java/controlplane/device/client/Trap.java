package controlplane.device.client;

/**
 * A {@code !trap} reply.
 *
 * @param category the {@code =category=} (0 missing item or command ... 7 value from :return), null when absent
 * @param message the {@code =message=}, empty when absent
 */
public record Trap(Integer category, String message) {
}
