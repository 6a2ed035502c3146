import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

testRule('reindex', {
  invalid: ['REINDEX INDEX orders_created_at_idx;', 'REINDEX TABLE orders;'],
  valid: [{ sql: 'REINDEX INDEX CONCURRENTLY orders_created_at_idx;', header: NO_TRANSACTION }],
});
