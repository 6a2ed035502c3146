import { testRule } from '../../../../test/support/rule-tester.js';

// orders.note has a validated CHECK (note IS NOT NULL) in BASE; orders.price has a CHECK that lets NULL through.
testRule('set-not-null', {
  invalid: [
    'ALTER TABLE orders ALTER COLUMN amount SET NOT NULL;',
    { sql: 'ALTER TABLE orders ALTER COLUMN note SET NOT NULL;', pgVersion: 11 },
  ],
  valid: ['ALTER TABLE orders ALTER COLUMN note SET NOT NULL;'],
});
