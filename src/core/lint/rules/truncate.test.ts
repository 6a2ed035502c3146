import { testRule } from '../../../../test/support/rule-tester.js';

testRule('truncate', {
  invalid: ['TRUNCATE orders;', 'TRUNCATE TABLE customers CASCADE;'],
  valid: ['CREATE TABLE scratch (id int);\nTRUNCATE scratch;'],
});
