import { describe, expect, it } from 'vitest';
import { lintSnippet, NO_TRANSACTION, testRule } from '../../../../test/support/rule-tester.js';

testRule('create-index', {
  invalid: ['CREATE INDEX orders_status_idx ON orders (status);', 'CREATE UNIQUE INDEX ON orders (status, id);'],
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);', header: NO_TRANSACTION },
    // Measured: IF NOT EXISTS of an index that exists builds nothing; ON ONLY a partitioned table builds on no partition.
    'CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);',
    { sql: 'CREATE INDEX events_at_idx ON ONLY events (at);', context: 'CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);' },
  ],
});

describe('create-index on a partitioned table', () => {
  it('gives the way PostgreSQL allows: CONCURRENTLY cannot build on a partitioned table', () => {
    const [f] = lintSnippet('CREATE INDEX events_at_idx ON events (at);', {
      context: 'CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);',
    });
    expect(f?.lint?.fix).toContain('CREATE INDEX events_at_idx ON ONLY events (...);');
    expect(f?.lint?.fix).not.toContain('CREATE INDEX CONCURRENTLY events_at_idx ON events');
  });
});
