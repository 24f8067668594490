package io.rowseal.hibernate;

/**
 * Everything known at boot about one encrypted attribute: where it lives and how big its values get.
 *
 * @param entityName the JPA entity name that declares it, e.g. {@code Customer}
 * @param path the attribute path inside the entity, e.g. {@code email} or {@code address.city}
 * @param context the logical name bound into every value (default {@code entityName.path})
 * @param table the table name, as mapped
 * @param column the column name, as mapped
 * @param capacity the longest plaintext encoding (tag included) a value may have, in bytes
 * @param width the column width those values need (bytes, or characters in text form)
 * @param branchKeyId the branch-key id the columns are sized for and rows are written under
 * @param signed whether its rows carry a signed footer, so that its values can only be written by a
 *     row write of its entity
 */
record EncryptedAttribute(
    String entityName, String path, String context, String table, String column, int capacity,
    int width, String branchKeyId, boolean signed) {

  /** {@code Entity.path}, how messages name the attribute. */
  String qualifiedName() {
    return entityName + "." + path;
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
