import { testRule } from '../../../../test/support/rule-tester.js';

testRule('rename-column', {
  invalid: ['ALTER TABLE orders RENAME COLUMN note TO remark;'],
  valid: ['CREATE TABLE t (id int, a text);\nALTER TABLE t RENAME COLUMN a TO b;'],
});
