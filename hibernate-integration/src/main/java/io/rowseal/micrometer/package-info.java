/**
 * rowseal's counters as Micrometer meters ({@link io.rowseal.micrometer.RowsealMeterBinder}). Micrometer is an
 * optional dependency of rowseal-hibernate: only this package names its types (an architecture test keeps it
 * so), and an application without Micrometer never loads it. docs/OBSERVABILITY.md lists the meters.
 */
package io.rowseal.micrometer;
