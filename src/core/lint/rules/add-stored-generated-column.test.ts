import { testRule } from '../../../../test/support/rule-tester.js';

// A virtual generated column (PostgreSQL 18) is computed on read: nothing is written.
testRule('add-stored-generated-column', {
  invalid: ['ALTER TABLE orders ADD COLUMN cents bigint GENERATED ALWAYS AS (amount * 100) STORED;'],
  valid: ['ALTER TABLE orders ADD COLUMN cents bigint GENERATED ALWAYS AS (amount * 100) VIRTUAL;'],
});
