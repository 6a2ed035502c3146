import { NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

// VACUUM cannot run in a transaction.
testRule('vacuum-full', {
  invalid: [
    { sql: 'VACUUM FULL orders;', header: NO_TRANSACTION },
    { sql: 'VACUUM (FULL) orders;', header: NO_TRANSACTION },
  ],
  valid: [
    { sql: 'VACUUM orders;', header: NO_TRANSACTION },
    { sql: 'VACUUM (FULL false) orders;', header: NO_TRANSACTION },
  ],
});
