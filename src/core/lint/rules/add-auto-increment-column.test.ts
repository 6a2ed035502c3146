import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-auto-increment-column', {
  invalid: [
    'ALTER TABLE orders ADD COLUMN position bigserial;',
    'ALTER TABLE orders ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;',
  ],
  valid: ['ALTER TABLE orders ADD COLUMN position bigint;'],
});
