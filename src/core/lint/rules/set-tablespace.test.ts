import { testRule } from '../../../../test/support/rule-tester.js';

testRule('set-tablespace', {
  invalid: ['ALTER TABLE orders SET TABLESPACE fast;'],
  valid: ['CREATE TABLE scratch (id int);\nALTER TABLE scratch SET TABLESPACE fast;'],
});
