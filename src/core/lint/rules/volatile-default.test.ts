import { testRule } from '../../../../test/support/rule-tester.js';

testRule('volatile-default', {
  invalid: [
    'ALTER TABLE orders ADD COLUMN score float8 DEFAULT random();',
    'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();',
  ],
  valid: ['ALTER TABLE orders ADD COLUMN score float8 DEFAULT 0;', 'ALTER TABLE orders ADD COLUMN seen timestamptz DEFAULT now();'],
});
