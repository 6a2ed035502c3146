import { testRule } from '../../../../test/support/rule-tester.js';

// A constant default is stored once, in the catalog, since PostgreSQL 11.
testRule('add-column-default', {
  invalid: [{ sql: "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';", pgVersion: 10 }],
  valid: [
    { sql: "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';", pgVersion: 11 },
    { sql: 'ALTER TABLE orders ADD COLUMN region text;', pgVersion: 10 },
  ],
});
