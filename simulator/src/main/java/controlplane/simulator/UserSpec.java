package controlplane.simulator;

import java.util.Objects;

/**
 * A RouterOS user as configured on a simulated router.
 *
 * @param name user name
 * @param group name of the user's group (built-ins {@code full}, {@code write}, {@code read})
 * @param password clear text; the simulator is a lab device, the product never stores passwords like this
 * @param address allowed source addresses ({@code 10.0.0.0/8,192.168.1.5}); empty allows any
 * @param disabled a disabled user cannot log in
 */
public record UserSpec(String name, String group, String password, String address, boolean disabled) {

  public UserSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    password = password == null ? "" : password;
    address = address == null ? "" : address;
  }

  public UserSpec(String name, String group, String password) {
    this(name, group, password, "", false);
  }

  /** The same user with another password. */
  public UserSpec withPassword(String newPassword) {
    return new UserSpec(name, group, newPassword, address, disabled);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "UserSpec[name=" + name + ", group=" + group + ", address=" + address + ", disabled=" + disabled + "]";
  }
}
