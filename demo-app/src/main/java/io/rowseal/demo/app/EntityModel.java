package io.rowseal.demo.app;

import java.util.List;
import java.util.function.Function;

/**
 * The entity classes a mode maps, and how a sample becomes an entity. Only the model in use is ever
 * created, so agent mode never loads the annotated classes (nor the rowseal annotation they name).
 *
 * @param packageName where the entities live, for the output
 * @param classes the managed classes
 * @param customerClass the customer entity
 * @param factory makes a new, unsaved customer from a sample
 */
record EntityModel(String packageName, List<Class<?>> classes, Class<? extends CustomerRecord> customerClass,
    Function<SampleCustomers.Sample, CustomerRecord> factory) {

  /** Library mode: every sensitive field carries {@code @Encrypted}. */
  static EntityModel annotated() {
    return new EntityModel("io.rowseal.demo.annotated",
        List.of(io.rowseal.demo.annotated.Customer.class, io.rowseal.demo.annotated.Address.class),
        io.rowseal.demo.annotated.Customer.class,
        s -> new io.rowseal.demo.annotated.Customer(s.name(), s.email(), s.ssn(), s.birthDate(),
            s.cardNumber(), s.notes(), new io.rowseal.demo.annotated.Address(s.street(), s.city())));
  }

  /** Agent mode: no rowseal annotation anywhere; the agent's configuration names the fields. */
  static EntityModel plain() {
    return new EntityModel("io.rowseal.demo.plain",
        List.of(io.rowseal.demo.plain.Customer.class, io.rowseal.demo.plain.Address.class),
        io.rowseal.demo.plain.Customer.class,
        s -> new io.rowseal.demo.plain.Customer(s.name(), s.email(), s.ssn(), s.birthDate(),
            s.cardNumber(), s.notes(), new io.rowseal.demo.plain.Address(s.street(), s.city())));
  }
}
