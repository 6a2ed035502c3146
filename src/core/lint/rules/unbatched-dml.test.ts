import { testRule } from '../../../../test/support/rule-tester.js';

testRule('unbatched-dml', {
  invalid: [
    "UPDATE orders SET status = 'open' WHERE status = 'new';",
    'DELETE FROM orders;',
    // A data-modifying WITH query runs whether or not the statement reads it.
    'WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone;',
    // A routine the migration defined runs its statements where it is called.
    "CREATE FUNCTION close_all() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE orders SET status = 'closed'; END $$;\nSELECT close_all() FROM generate_series(1, 1);",
  ],
  valid: [
    "UPDATE orders SET status = 'open' WHERE id = 42;",
    'DELETE FROM orders WHERE id IN (1, 2, 3);',
    // A unique key picks one row per value.
    {
      sql: "UPDATE customers SET name = 'x' WHERE email = 'a@example.com';",
      context: 'CREATE UNIQUE INDEX customers_email_key ON customers (email);',
    },
  ],
});
