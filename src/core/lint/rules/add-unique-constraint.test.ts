import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-unique-constraint', {
  invalid: [
    'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);',
    'ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY (id);',
    'ALTER TABLE orders ADD COLUMN code text UNIQUE;',
  ],
  valid: ['ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;'],
});
