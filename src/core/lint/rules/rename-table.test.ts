import { testRule } from '../../../../test/support/rule-tester.js';

testRule('rename-table', {
  // Measured: after SET SCHEMA the old name resolves to nothing.
  invalid: [
    'ALTER TABLE orders RENAME TO purchases;',
    { sql: 'ALTER TABLE orders SET SCHEMA archive;', context: 'CREATE SCHEMA archive;' },
  ],
  valid: ['ALTER INDEX orders_created_at_idx RENAME TO orders_created_idx;'],
});
