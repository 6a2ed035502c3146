import { testRule } from '../../../../test/support/rule-tester.js';

testRule('add-foreign-key', {
  invalid: [
    'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
    // Measured: adding a column with REFERENCES scans every old row, though all are NULL.
    'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES customers (id);',
  ],
  valid: ['ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;'],
});
