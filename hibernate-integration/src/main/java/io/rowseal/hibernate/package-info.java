/**
 * rowseal's Hibernate ORM integration: the only package that imports Hibernate (an architecture test
 * keeps it so). Like Caffeine, a small public surface — the three services Hibernate discovers
 * ({@link io.rowseal.hibernate.RowsealMetadataBuilderInitializer},
 * {@link io.rowseal.hibernate.EncryptedMappingContributor}, {@link io.rowseal.hibernate.RowsealIntegrator}),
 * the settings ({@link io.rowseal.hibernate.RowsealSettings}), the exceptions and
 * {@link io.rowseal.hibernate.RowSignatureBackfill} — over a package-private implementation, read in
 * four phases:
 *
 * <ol>
 *   <li><b>Boot-time mapping</b> (once per metadata build): {@code EncryptedMappings} and
 *       {@code SignedMappings} find and check the annotated attributes, {@code EncryptedBinding} installs
 *       rowseal's resolution ({@code EncryptedResolution}) on each encrypted attribute after Hibernate
 *       resolved its own mapping, {@code EncryptedAttribute} records what boot knows of it,
 *       {@code RowFooterMappings} adds the footer column, {@code ColumnCheck} checks the schema at
 *       start-up, {@code RowsealSettings}/{@code EnvelopeFactory} build the envelope.</li>
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
 */
package io.rowseal.hibernate;
