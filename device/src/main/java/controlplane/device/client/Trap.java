package controlplane.device.client;

/**
 * A {@code !trap} reply.
 *
 * @param category the {@code =category=} (0 missing item or command ... 7 value from :return), null when absent
 * @param message the {@code =message=} as {@link RouterText#printable} made it (printable, at most 200
 *     characters); empty when absent
 */
public record Trap(Integer category, String message) {
}
