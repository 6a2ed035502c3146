import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

// ADD VALUE runs in a transaction block since PostgreSQL 12.
testRule('enum-value-in-transaction', {
  invalid: [{ sql: "ALTER TYPE mood ADD VALUE 'sad';", pgVersion: 11 }],
  valid: [
    { sql: "ALTER TYPE mood ADD VALUE 'sad';", pgVersion: 12 },
    { sql: "ALTER TYPE mood ADD VALUE 'sad';", pgVersion: 11, header: NO_TRANSACTION },
  ],
});
