/**
 * rowseal's Hibernate ORM integration: the only package that imports Hibernate (an architecture test
 * keeps it so). Like Caffeine, a small public surface — the three services Hibernate discovers
 * ({@link io.rowseal.hibernate.RowsealMetadataBuilderInitializer},
 * {@link io.rowseal.hibernate.EncryptedMappingContributor}, {@link io.rowseal.hibernate.RowsealIntegrator}),
 * the settings ({@link io.rowseal.hibernate.RowsealSettings}), the exceptions,
 * {@link io.rowseal.hibernate.RowSignatureBackfill} and the migration job for existing rows
 * ({@link io.rowseal.hibernate.RowMigration}, its report and progress, {@link io.rowseal.hibernate.MigrationCommand})
 * — over a package-private implementation, read in four phases and a job:
 *
 * <ol>
 *   <li><b>Boot-time mapping</b> (once per metadata build): {@code EncryptedMappings} and
 *       {@code SignedMappings} find and check the annotated attributes, {@code EncryptedBinding} installs
 *       rowseal's resolution ({@code EncryptedResolution}) on each encrypted attribute after Hibernate
 *       resolved its own mapping, {@code EncryptedAttribute} records what boot knows of it,
 *       {@code RowFooterMappings} adds the footer column, {@code ColumnCheck} checks the schema at
 *       start-up, {@code RowsealSettings}/{@code EnvelopeFactory} build the envelope, on a thread of its own
 *       ({@code EnvelopeStart}) that the integrator joins before the session factory is returned.</li>
 *   <li><b>Value types</b> (per value): {@code EncryptingConverter} encodes an attribute value
 *       ({@code AttributeCodec} over a {@code ValueCodec}: {@code StandardCodec}, {@code EnumCodec},
 *       {@code OrdinalCodec}, or its {@code JdbcForm}), {@code PlaintextJavaType} keeps that encoding away
 *       from every other path, {@code EncryptedJdbcType} encrypts and decrypts at the JDBC boundary.</li>
 *   <li><b>Row writes and signatures</b> (per row): {@code RowWriteListener} brackets each row write
 *       ({@code RowWrites}, {@code RowPlan}: one data key per row write), {@code FooterJdbcType},
 *       {@code FooterJavaType}, {@code FooterAccess} and {@code StoredFooter} carry the footer,
 *       {@code LoadedRows} and {@code RowVerifier} verify it on load, {@code SignedEntity} and
 *       {@code RowSignatures} describe what is signed, {@code RowIdLookup} names a failing row.</li>
 *   <li><b>Per-line adapters</b>: {@code HibernateLine}, the one class that knows Hibernate lines differ
 *       (the version check, and the few operations whose API differs between 6.6 and 7.x or that no
 *       line offers). Everything else compiles and runs unchanged on every supported line
 *       ({@code docs/HIBERNATE.md}, sections 3 and 14).</li>
 * </ol>
 *
 * <p><b>Migration job</b> (existing rows, {@code docs/MIGRATION.md}): {@code MigrationTable} reads the id,
 * encrypted and footer columns with JDBC, {@code RowNeeds} (with {@code Rekey}) decides per row from its
 * stored bytes, {@code MigrationRun} locks, re-checks, verifies and rewrites each batch through a
 * {@code StatelessSession}, {@code MigrationCheckpoint} advances in the batch's transaction, {@code Pacer}
 * throttles, {@code ProgressPrinter} draws the command's progress.
 */
package io.rowseal.hibernate;
