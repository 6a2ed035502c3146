import { testRule } from '../../../../test/support/rule-tester.js';

testRule('column-type-rewrite', {
  invalid: ['ALTER TABLE orders ALTER COLUMN amount TYPE bigint;', 'ALTER TABLE orders ALTER COLUMN note TYPE text USING trim(note);'],
  valid: ['ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);', 'ALTER TABLE orders ALTER COLUMN price TYPE numeric(12,2);'],
});
