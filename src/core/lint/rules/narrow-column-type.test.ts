import { testRule } from '../../../../test/support/rule-tester.js';

testRule('narrow-column-type', {
  invalid: ['ALTER TABLE orders ALTER COLUMN status TYPE varchar(5);'],
  valid: ['ALTER TABLE orders ALTER COLUMN status TYPE text;'],
});
