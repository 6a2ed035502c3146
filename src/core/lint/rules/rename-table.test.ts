import { testRule } from '../../../../test/support/rule-tester.js';

testRule('rename-table', {
  invalid: ['ALTER TABLE orders RENAME TO purchases;'],
  valid: ['ALTER INDEX orders_created_at_idx RENAME TO orders_created_idx;'],
});
