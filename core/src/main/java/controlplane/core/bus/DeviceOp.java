package controlplane.core.bus;

/** The operations of a device-push address, by their wire name ({@link Fields#OP}). */
public enum DeviceOp {
  /** {@link ApplyRequest}. */
  APPLY("apply"),
  /** {@link ProbeRequest}. */
  PROBE("probe"),
  /** {@link RepairRequest}. */
  REPAIR("repair");

  private final String wire;

  DeviceOp(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Null for a name that is no operation. */
  static DeviceOp byWire(String name) {
    for (DeviceOp op : values()) {
      if (op.wire.equals(name)) {
        return op;
      }
    }
    return null;
  }
}
