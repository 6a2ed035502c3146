import { testRule } from '../../../../test/support/rule-tester.js';

testRule('not-analysed', {
  invalid: ['DO $$ BEGIN ALTER TABLE orders ALTER COLUMN amount TYPE bigint; END $$;'],
  valid: ["DO $$ BEGIN CREATE TYPE mood AS ENUM ('ok'); END $$;"],
});
