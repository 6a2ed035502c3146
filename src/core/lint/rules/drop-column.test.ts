import { testRule } from '../../../../test/support/rule-tester.js';

testRule('drop-column', {
  invalid: ['ALTER TABLE orders DROP COLUMN note;'],
  valid: ['ALTER TABLE orders ADD COLUMN scratch text;\nCREATE TABLE t (id int, old text);\nALTER TABLE t DROP COLUMN old;'],
});
