package io.rowseal.agent.internal;

import java.util.List;

/**
 * One field the configuration marks as encrypted: {@code encrypt.<name> = className#fieldName}, with the
 * optional {@code encrypt.<name>.context}, {@code encrypt.<name>.length-buckets} and the
 * {@code encrypt.<name>.search*} options. {@code context} is {@code ""} for the integration's default logical
 * name ({@code EntityName.attribute}); {@code lengthBuckets} is empty for no padding; {@code search} is
 * {@code null} when the field is not searchable; {@code origin} is {@code file:line}, for messages.
 */
record Target(String name, String className, String fieldName, String context, int[] lengthBuckets, Search search,
    String origin) {

  /** {@code className#fieldName}, the form the configuration and every message use. */
  String id() {
    return className + "#" + fieldName;
  }

  @Override
  public String toString() {
    return id() + " (" + origin + ")";
  }

  /**
   * The values of {@code @io.rowseal.Searchable} for a searchable field, each as the annotation's element
   * of the same name; {@code normalize} holds the names of {@code Searchable.Normalization} constants.
   */
  record Search(int prefix, List<String> normalize, boolean unique, int bits, long distinctValues, String column) {}
}
