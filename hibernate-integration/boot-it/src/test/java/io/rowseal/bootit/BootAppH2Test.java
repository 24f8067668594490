package io.rowseal.bootit;

/** The application on an embedded H2 (application.yml as it is). */
class BootAppH2Test extends BootAppTestBase {}
