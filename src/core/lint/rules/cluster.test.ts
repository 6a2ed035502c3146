import { testRule } from '../../../../test/support/rule-tester.js';

testRule('cluster', {
  invalid: ['CLUSTER orders USING orders_created_at_idx;'],
  valid: ['CREATE TABLE scratch (id int PRIMARY KEY);\nCLUSTER scratch USING scratch_pkey;'],
});
