import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffOf, backoffProblems } from '../../src/core/backoff.js';
import { normaliseQuery } from '../../src/core/normalise-query.js';
import { retrySafety } from '../../src/core/retry-safety.js';
import { Migrator, PgshiftError } from '../../src/index.js';

describe('the backoff between lock retries', () => {
  const equal = backoffOf(undefined);
  it('doubles from 1 s to at most 30 s; equal jitter keeps at least half of each wait', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => backoffDelay(n, equal, 0.999999))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect([1, 2, 6].map((n) => backoffDelay(n, equal, 0))).toEqual([500, 1000, 15000]);
  });
  it('full jitter anywhere from 0 to the wait', () => {
    const full = backoffOf({ jitter: 'full' });
    expect(backoffDelay(3, full, 0)).toBe(0);
    expect(backoffDelay(3, full, 0.5)).toBe(2000);
  });
  it('a bad backoff or retry count is refused with the others, by name', () => {
    expect(backoffProblems({ firstMs: -1, jitter: 'some' as 'full' })).toEqual([
      'lockRetryBackoff.firstMs must be a whole number of milliseconds ≥ 0, got -1',
      'lockRetryBackoff.jitter must be full or equal, got some',
    ]);
    expect(() => new Migrator({ lockRetries: 1.5 })).toThrow(PgshiftError);
    expect(() => new Migrator({ lockRetries: -1 })).toThrow('lockRetries must be a whole number ≥ 0, got -1');
  });
});

describe("another session's query, as shown: its literals replaced by placeholders as pg_stat_statements does", () => {
  it.each([
    ["SELECT * FROM users WHERE email = 'a@b.c' AND id = 42", 'SELECT * FROM users WHERE email = $1 AND id = $2'],
    ["UPDATE t SET password = E'se\\'cret', n = 1.5e3 WHERE id = $1", 'UPDATE t SET password = $2, n = $3 WHERE id = $1'],
    ["SELECT $tag$ body 'x' $tag$, X'1F', B'0101', 0x1F", 'SELECT $1, $2, $3, $4'],
    ['SELECT "col 1", t2.c3 FROM t2   -- a comment\n WHERE a > 10', 'SELECT "col 1", t2.c3 FROM t2 -- a comment WHERE a > $1'],
    // Cut short by track_activity_query_size, inside a string: the rest is hidden too.
    ["INSERT INTO s VALUES ('top secr", 'INSERT INTO s VALUES ($1'],
  ])('%s', (query, shown) => {
    expect(normaliseQuery(query)).toBe(shown);
  });
  it('is cut to the length asked for', () => {
    expect(normaliseQuery(`SELECT ${'a, '.repeat(100)}b`, 20)).toBe('SELECT a, a, a, a, …');
  });
});

describe('which no-transaction statements are retried after a lock timeout', () => {
  it.each([
    ['ALTER TABLE t ADD COLUMN c int', { kind: 'repeat' }],
    ['DROP INDEX CONCURRENTLY IF EXISTS i', { kind: 'repeat' }],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Odd" ON ONLY app."T" (c)', { kind: 'drop-index', index: 'Odd', table: 'app."T"' }],
    ['create index concurrently t_c on t using btree (c)', { kind: 'drop-index', index: 't_c', table: 't' }],
    ['CREATE INDEX CONCURRENTLY ON t (c)', { kind: 'refuse', reason: expect.stringContaining('names no index') }],
    ['REINDEX INDEX CONCURRENTLY i', { kind: 'refuse', reason: expect.stringContaining('_ccnew') }],
    ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', { kind: 'refuse', reason: expect.stringContaining('FINALIZE') }],
    ['CALL backfill()', { kind: 'refuse', reason: expect.stringContaining('committed part of its work') }],
  ])('%s', (sql, safety) => {
    expect(retrySafety(sql)).toEqual(safety);
  });
});
