package io.rowseal.demo.app;

/** Scenario step: write the sample customers on a first run, or find the ones earlier runs wrote. */
final class OpenCustomers {
  private OpenCustomers() {}

  static void run(DemoContext ctx) {
    Console console = ctx.console;
    console.step("Open the database and the key state");
    // 1. Count the customers earlier runs wrote: they are read with the keys stored next to them.
    long existing = ctx.customerCount();
    long unsigned = RawRows.read(ctx.dataSource).stream().filter(r -> r.footer() == null).count();
    if (unsigned > 0) {
      throw new DemoException(unsigned + " of the customers in ./" + DemoContext.DATA_DIR + " were written "
          + "before rowseal signed rows, and would fail to load (RS-4205); start afresh with the reset command");
    }
    if (existing > 0) {
      console.line("reopened %d customers written earlier, and the key state stored next to them in %s",
          existing, "./" + DemoContext.DATA_DIR);
      return;
    }
    // 2. First run: persist the samples in one transaction; each row write gets a fresh DEK.
    ctx.inTransaction(em -> SampleCustomers.FIRST_RUN.forEach(s -> em.persist(ctx.model.factory().apply(s))));
    console.line("%s a new database in %s and wrote %d customers, one fresh data key (DEK) per row",
        ctx.newDatabase ? "created" : "opened", "./" + DemoContext.DATA_DIR, SampleCustomers.FIRST_RUN.size());
  }
}
