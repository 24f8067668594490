package io.rowseal.agent.internal;

/**
 * One field the configuration marks as encrypted: {@code encrypt.<name> = className#fieldName}, with the
 * optional {@code encrypt.<name>.context} and {@code encrypt.<name>.length-buckets}. {@code context} is
 * {@code ""} for the integration's default logical name ({@code EntityName.attribute}); {@code lengthBuckets}
 * is empty for no padding; {@code origin} is {@code file:line}, for messages.
 */
record Target(String name, String className, String fieldName, String context, int[] lengthBuckets, String origin) {

  /** {@code className#fieldName}, the form the configuration and every message use. */
  String id() {
    return className + "#" + fieldName;
  }

  @Override
  public String toString() {
    return id() + " (" + origin + ")";
  }
}
