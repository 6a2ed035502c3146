import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

const VIEW = 'CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id;';

testRule('refresh-materialized-view', {
  invalid: [{ sql: 'REFRESH MATERIALIZED VIEW order_totals;', context: VIEW }],
  valid: [
    { sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;', context: VIEW, header: NO_TRANSACTION },
    // Made in this deploy: nobody reads it yet.
    `${VIEW}\nREFRESH MATERIALIZED VIEW order_totals;`,
  ],
});
