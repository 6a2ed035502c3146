import { describe, expect, it } from 'vitest';
import { lintSnippet, rulesOf, testRule } from '../../../../test/support/rule-tester.js';

testRule('lock-timeout', {
  invalid: [
    { sql: 'ALTER TABLE orders ADD COLUMN a text;', timeout: false },
    { sql: 'SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN a text;', timeout: false },
    { sql: 'LOCK TABLE orders IN SHARE MODE;', timeout: false },
  ],
  valid: [
    { sql: 'ALTER TABLE orders ADD COLUMN a text;', timeout: false, lockTimeoutMs: 5000 },
    { sql: "SELECT set_config('lock_timeout', '3s', false);\nALTER TABLE orders ADD COLUMN a text;", timeout: false },
    // Locks that let writes go on, and tables of this deploy, need none.
    { sql: 'ALTER TABLE orders SET (fillfactor = 90);\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;', timeout: false },
  ],
});

describe('rule lock-timeout, across a migration', () => {
  it('a blocking lock with no lock_timeout before it: once per migration, on a statement with no other finding', () => {
    const [f, ...rest] = lintSnippet('ALTER TABLE orders ADD COLUMN a text;\nALTER TABLE orders ADD COLUMN b text;', { timeout: false });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', line: 2, lint: { rule: 'lock-timeout', family: 'no-lock-timeout' } });
    expect(f!.message).toContain('ACCESS EXCLUSIVE on orders');
    // A statement with its own finding carries that one; the lock-timeout one goes to the next.
    expect(rulesOf('CREATE INDEX i ON orders (note);\nALTER TABLE orders ADD COLUMN a text;', { timeout: false })).toEqual([
      'create-index',
      'lock-timeout',
    ]);
  });
});
