import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-check', {
  invalid: ['ALTER TABLE orders ADD CONSTRAINT price_positive CHECK (price >= 0);'],
  valid: ['ALTER TABLE orders ADD CONSTRAINT price_positive CHECK (price >= 0) NOT VALID;'],
});
