import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-required-column', {
  invalid: ['ALTER TABLE orders ADD COLUMN region text NOT NULL;'],
  valid: ["ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';"],
});
