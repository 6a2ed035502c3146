import { testRule } from '../../../../test/support/rule-tester.js';

testRule('unbatched-dml', {
  invalid: ["UPDATE orders SET status = 'open' WHERE status = 'new';", 'DELETE FROM orders;'],
  valid: ["UPDATE orders SET status = 'open' WHERE id = 42;", 'DELETE FROM orders WHERE id IN (1, 2, 3);'],
});
