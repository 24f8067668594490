package io.rowseal.hibernate;

import io.rowseal.RowsealException;

/**
 * A {@link RowMigration} cannot start or cannot go on: the entity cannot be walked ({@code RS-4501}),
 * its checkpoint table failed ({@code RS-4502}), another run of the same job moved the checkpoint
 * ({@code RS-4503}) or the CMK it is to move rows off still wraps the active branch-key version
 * ({@code RS-4507}). Rows the job could not read do not throw: the report lists them ({@code RS-4504}).
 * Whatever was committed before stays committed; running the job again resumes after it.
 */
public class MigrationException extends RowsealException {
  private static final long serialVersionUID = 1L;

  public MigrationException(String code, String message) {
    super(code, message);
  }

  public MigrationException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
