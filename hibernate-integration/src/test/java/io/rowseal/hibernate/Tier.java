package io.rowseal.hibernate;

/** An enum stored encrypted by name. */
enum Tier { BRONZE, SILVER, GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME }
