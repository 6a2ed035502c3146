import { testRule } from '../../../../test/support/rule-tester.js';

testRule('set-logged', {
  invalid: ['ALTER TABLE orders SET UNLOGGED;', 'ALTER TABLE orders SET LOGGED;'],
  valid: ['CREATE TABLE scratch (id int);\nALTER TABLE scratch SET UNLOGGED;'],
});
