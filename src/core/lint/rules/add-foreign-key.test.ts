import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-foreign-key', {
  invalid: ['ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);'],
  valid: [
    // Measured: a new column's REFERENCES reads no row (they are all NULL).
    'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES customers (id);',
    'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
  ],
});
