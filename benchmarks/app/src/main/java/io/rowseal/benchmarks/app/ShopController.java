package io.rowseal.benchmarks.app;

import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /customers/{id}}: a customer's page (four personal fields, encrypted in the rowseal variants,
 * and the customer's orders); {@code POST /customers}: signs one up. {@code POST /seed} fills the tables
 * before a measurement (the load generator's setup, not part of the workload).
 */
@RestController
public class ShopController {
  private final ShopService shop;

  ShopController(ShopService shop) {
    this.shop = shop;
  }

  @GetMapping("/customers/{id}")
  public ResponseEntity<ShopService.CustomerPage> page(@PathVariable long id) {
    return ResponseEntity.of(shop.page(id));
  }

  @PostMapping("/customers")
  public ResponseEntity<Map<String, Long>> create(@RequestBody ShopService.NewCustomer customer) {
    long id = shop.create(customer);
    return ResponseEntity.created(URI.create("/customers/" + id)).body(Map.of("id", id));
  }

  @PostMapping("/seed")
  public Map<String, Long> seed(@RequestParam int count, @RequestParam(defaultValue = "3") int orders) {
    long[] range = shop.seed(count, orders);
    return Map.of("first", range[0], "last", range[1]);
  }
}
