package io.shaver.backend;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * The accelerator a walk task was given by the scheduler: a resource name (such as
 * {@code gpu}) and one device address (such as {@code 0}), or none for a CPU-only task.
 */
public final class DeviceBinding implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final DeviceBinding NONE = new DeviceBinding(null, null);

  private final String resource;
  private final String address;

  private DeviceBinding(String resource, String address) {
    this.resource = resource;
    this.address = address;
  }

  /** Returns the binding of a task that has no accelerator. */
  public static DeviceBinding none() {
    return NONE;
  }

  /**
   * Returns the binding to device {@code address} of resource {@code resource}.
   *
   * @throws IllegalArgumentException if either is blank
   */
  public static DeviceBinding of(String resource, String address) {
    if (resource == null || resource.isBlank()) {
      throw new IllegalArgumentException("resource must not be blank, got '" + resource + "'");
    }
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address must not be blank, got '" + address + "'");
    }
    return new DeviceBinding(resource, address);
  }

  /** Returns whether a device is bound. */
  public boolean isBound() {
    return address != null;
  }

  /** Returns the device address, for example {@code 0}, or empty when none is bound. */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /** Returns the resource name, for example {@code gpu}, or empty when none is bound. */
  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeviceBinding binding
        && Objects.equals(resource, binding.resource)
        && Objects.equals(address, binding.address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(resource, address);
  }

  /** Returns {@code gpu:0} for a bound device and {@code none} otherwise. */
  @Override
  public String toString() {
    return isBound() ? resource + ":" + address : "none";
  }
}
