import { testRule } from '../../../../test/support/rule-tester.js';

testRule('drop-table', {
  invalid: ['DROP TABLE customers;'],
  valid: ['CREATE TABLE scratch (id int);\nDROP TABLE scratch;'],
});
