package controlplane.simulator;

import java.time.Instant;

/**
 * A logged-in API session, as {@code /user/active/print} lists it.
 *
 * @param id item id such as {@code *3}
 * @param name user name
 * @param address the client's address
 * @param via {@code api} (also for api-ssl, as RouterOS reports it)
 * @param group the user's group at login
 * @param when login time
 */
public record ActiveSession(String id, String name, String address, String via, String group, Instant when) {
}
