package io.rowseal.benchmarks.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The shop's two transactions, and the seeding the benchmark runs before it measures. */
@Service
public class ShopService {
  /** What a customer's page shows: the customer's personal data and its orders. */
  public record CustomerPage(long id, String name, String email, String phone, String address, String iban,
      List<OrderLine> orders) {}

  public record OrderLine(long id, String item, int quantity, long amountCents) {}

  /** A new customer, as the sign-up form posts it. */
  public record NewCustomer(String name, String email, String phone, String address, String iban) {}

  private final CustomerRepository customers;
  private final PurchaseOrderRepository orders;

  ShopService(CustomerRepository customers, PurchaseOrderRepository orders) {
    this.customers = customers;
    this.orders = orders;
  }

  @Transactional(readOnly = true)
  public Optional<CustomerPage> page(long id) {
    return customers.findById(id).map(c -> new CustomerPage(c.getId(), c.getName(), c.getEmail(), c.getPhone(),
        c.getAddress(), c.getIban(), orders.findByCustomerIdOrderById(c.getId()).stream()
            .map(o -> new OrderLine(o.getId(), o.getItem(), o.getQuantity(), o.getAmountCents())).toList()));
  }

  /** Signs a customer up with a first order; returns the customer's id. */
  @Transactional
  public long create(NewCustomer n) {
    Customer c = customers.save(new Customer(n.name(), n.email(), n.phone(), n.address(), n.iban()));
    orders.save(new PurchaseOrder(c, "welcome pack", 1, 990));
    return c.getId();
  }

  /** {@code count} customers with {@code ordersEach} orders each; returns the first and last id. */
  @Transactional
  public long[] seed(int count, int ordersEach) {
    List<Customer> made = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Customer c = customers.save(new Customer("Customer " + i, "customer" + i + "@example.com",
          "+44 20 7946 " + String.format("%04d", i % 10_000), i + " Acacia Avenue, Springfield",
          "GB82WEST1234569876" + String.format("%04d", i % 10_000)));
      for (int k = 0; k < ordersEach; k++) {
        orders.save(new PurchaseOrder(c, "item " + k, 1 + k, 1_000L * (k + 1) + i % 100));
      }
      made.add(c);
    }
    long first = made.stream().mapToLong(Customer::getId).min().orElse(0);
    long last = made.stream().mapToLong(Customer::getId).max().orElse(0);
    return new long[] {first, last};
  }
}
