/**
 * Spring Boot auto-configuration of rowseal (docs/SPRING-BOOT.md): {@code rowseal.*} properties with
 * configuration metadata, a {@code CmkProvider} bean as the KMS, the in-memory KMS in Spring tests. Every
 * Spring dependency of rowseal-hibernate is optional: nothing here loads without Spring Boot.
 */
package io.rowseal.spring;
