import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

testRule('drop-index', {
  invalid: ['DROP INDEX orders_created_at_idx;'],
  valid: [{ sql: 'DROP INDEX CONCURRENTLY orders_created_at_idx;', header: NO_TRANSACTION }],
});
