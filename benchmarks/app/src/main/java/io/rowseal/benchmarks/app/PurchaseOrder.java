package io.rowseal.benchmarks.app;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** An order of a {@link Customer}: plaintext in every variant, read with its customer's page. */
@Entity
// indexed by customer, as any application that lists a customer's orders has it
@Table(name = "purchase_order", indexes = @Index(name = "purchase_order_customer", columnList = "customer_id"))
public class PurchaseOrder {
  @Id
  @GeneratedValue
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  private Customer customer;

  private String item;

  private int quantity;

  private long amountCents;

  protected PurchaseOrder() {}

  public PurchaseOrder(Customer customer, String item, int quantity, long amountCents) {
    this.customer = customer;
    this.item = item;
    this.quantity = quantity;
    this.amountCents = amountCents;
  }

  public Long getId() {
    return id;
  }

  public String getItem() {
    return item;
  }

  public int getQuantity() {
    return quantity;
  }

  public long getAmountCents() {
    return amountCents;
  }
}
