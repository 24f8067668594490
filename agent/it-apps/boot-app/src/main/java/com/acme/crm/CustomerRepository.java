package com.acme.crm;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CustomerRepository extends JpaRepository<Customer, Long> {

  List<Customer> findByNameOrderById(String name);

  List<Customer> findByEmail(String email);

  boolean existsByEmail(String email);

  List<Customer> findByNameStartingWith(String prefix);
}
