import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

// In a no-transaction migration the ADD commits, and its lock goes, before the VALIDATE.
testRule('validate-in-same-transaction', {
  invalid: ['ALTER TABLE orders ADD CONSTRAINT p CHECK (price >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT p;'],
  valid: [
    'ALTER TABLE orders VALIDATE CONSTRAINT p;',
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT p CHECK (price >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT p;',
      header: NO_TRANSACTION,
    },
  ],
});
