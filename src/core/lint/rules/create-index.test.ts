import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

testRule('create-index', {
  invalid: ['CREATE INDEX orders_status_idx ON orders (status);', 'CREATE UNIQUE INDEX ON orders (status, id);'],
  valid: [{ sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);', header: NO_TRANSACTION }],
});
