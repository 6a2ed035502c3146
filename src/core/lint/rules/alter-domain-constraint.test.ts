import { testRule } from '../../../../test/support/rule-tester.js';

const DOMAIN = 'CREATE DOMAIN quantity AS int;\nALTER TABLE orders ADD COLUMN qty quantity;';

testRule('alter-domain-constraint', {
  invalid: [
    { sql: 'ALTER DOMAIN quantity ADD CONSTRAINT quantity_positive CHECK (VALUE > 0);', context: DOMAIN },
    { sql: 'ALTER DOMAIN quantity SET NOT NULL;', context: DOMAIN },
  ],
  valid: [
    { sql: 'ALTER DOMAIN quantity ADD CONSTRAINT quantity_positive CHECK (VALUE > 0) NOT VALID;', context: DOMAIN },
    // No table uses it: nothing to check.
    { sql: 'ALTER DOMAIN quantity ADD CONSTRAINT quantity_positive CHECK (VALUE > 0);', context: 'CREATE DOMAIN quantity AS int;' },
  ],
});
