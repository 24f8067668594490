package com.acme.ledger;

/** An account's status, stored by name ({@code @Enumerated(EnumType.STRING)}). */
public enum AccountStatus {
  OPEN,
  FROZEN,
  CLOSED
}
