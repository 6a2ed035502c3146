import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

// orders.amount may hold NULL; orders.status is NOT NULL, and orders.note is proven not null by a validated CHECK.
testRule('primary-key-nullable', {
  invalid: [
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY orders_amount_key ON orders (amount);\nALTER TABLE orders ADD CONSTRAINT orders_amount_pk PRIMARY KEY USING INDEX orders_amount_key;',
      header: NO_TRANSACTION,
    },
  ],
  valid: [
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY orders_status_key ON orders (status);\nALTER TABLE orders ADD CONSTRAINT orders_status_pk PRIMARY KEY USING INDEX orders_status_key;',
      header: NO_TRANSACTION,
    },
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY orders_note_key ON orders (note);\nALTER TABLE orders ADD CONSTRAINT orders_note_pk PRIMARY KEY USING INDEX orders_note_key;',
      header: NO_TRANSACTION,
    },
  ],
});
