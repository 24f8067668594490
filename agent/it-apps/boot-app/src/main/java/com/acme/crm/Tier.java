package com.acme.crm;

/** A customer's tier, stored by name ({@code @Enumerated(EnumType.STRING)}). */
public enum Tier {
  BRONZE,
  SILVER,
  GOLD
}
