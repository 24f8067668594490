package com.acme.annotated;

import io.rowseal.Encrypted;
import java.util.Arrays;

/**
 * A class whose source already carries {@code @Encrypted}: the agent must leave it alone (a second
 * annotation would make reflection fail with "Duplicate annotation").
 */
public final class AnnotatedApp {

  static final class Account {
    @Encrypted(context = "Account.iban.v1")
    String iban;

    String owner;
  }

  public static void main(String[] args) throws Exception {
    for (String name : new String[] {"iban", "owner"}) {
      System.out.println("ANNOTATION Account." + name + " "
          + Arrays.toString(Account.class.getDeclaredField(name).getDeclaredAnnotations()));
    }
    System.out.println("OK");
  }

  private AnnotatedApp() {}
}
