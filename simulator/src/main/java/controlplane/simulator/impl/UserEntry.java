package controlplane.simulator.impl;

import controlplane.simulator.UserSpec;
import java.time.Instant;

/** A user row of a router's state; immutable, replaced on change. */
record UserEntry(int id, String name, String group, String password, String address, boolean disabled,
    String comment, Instant lastLoggedIn) {

  static UserEntry of(int id, UserSpec spec) {
    return new UserEntry(id, spec.name(), spec.group(), spec.password(), spec.address(), spec.disabled(), "", null);
  }

  String itemId() {
    return RouterState.itemId(id);
  }

  UserSpec spec() {
    return new UserSpec(name, group, password, address, disabled);
  }

  UserEntry withPassword(String p) {
    return new UserEntry(id, name, group, p, address, disabled, comment, lastLoggedIn);
  }

  UserEntry withLastLoggedIn(Instant t) {
    return new UserEntry(id, name, group, password, address, disabled, comment, t);
  }

  @Override
  public String toString() {
    return "UserEntry[" + itemId() + " " + name + " group=" + group + "]";
  }
}
