import { describe, expect, it } from 'vitest';
import { gidOf, parseGid } from '../../src/engine/leftovers.js';
import type { TargetPreflight } from '../../src/engine/prepared.js';
import { capacityProblems, checkInput } from '../../src/fleet/atomic-checks.js';

const check = (id: string, server: string, pending: number, capacity = { maxPrepared: 4, usedPrepared: 1, freeConnections: 50 }) =>
  ({ id, server, pending: Array.from({ length: pending }), capacity, leftovers: [], problems: [] }) as unknown as TargetPreflight;

describe('all or none: the checks before anything runs', () => {
  it('refuses a server with fewer free prepared transactions than targets to prepare there, and says what to do', () => {
    const checks = [check('a', 'db1:5432', 1), check('b', 'db1:5432', 2), check('c', 'db1:5432', 1), check('d', 'db1:5432', 1)];
    const [problem] = capacityProblems(checks, 2);
    expect(problem).toMatchObject({
      code: 'ATOMIC_REFUSED',
      message: expect.stringMatching(/^server db1:5432: 4 targets to prepare, room for 3/),
    });
    expect(problem?.hint).toMatch(/max_prepared_transactions/);
    // Targets with nothing pending take no prepared transaction; another server has its own room.
    expect(capacityProblems([...checks.slice(0, 3), check('d', 'db1:5432', 0), check('e', 'db2:5432', 3)], 2)).toEqual([]);
  });

  it('refuses a server without the connections the run holds there (one per target, one more per target preparing)', () => {
    const tight = { maxPrepared: 100, usedPrepared: 0, freeConnections: 5 };
    const checks = ['a', 'b', 'c', 'd'].map((id) => check(id, 'db1:5432', 1, tight));
    expect(capacityProblems(checks, 1)).toEqual([]);
    expect(capacityProblems(checks, 2)[0]?.message).toMatch(/needs up to 6 connections .* 5 are free/);
  });

  it('reports a bad concurrency, a bad run id and a target listed twice together', () => {
    const targets = [
      { id: 'a', connection: 'x' },
      { id: 'a', connection: 'y' },
    ];
    expect(checkInput(targets, 0, 'no spaces allowed').problems.map((p) => p.message)).toEqual([
      'concurrency must be a whole number from 1 to 64, got 0',
      'run id "no spaces allowed" must be letters, digits, ., _ and -, up to 40',
      'target a is listed twice',
    ]);
  });

  it('names prepared transactions so that they are found again: the run, the target, and for all but the coordinator, the coordinator', () => {
    expect(parseGid(gidOf('r1', 'eu'))).toEqual({ runId: 'r1', target: 'eu' });
    expect(parseGid(gidOf('r1', 'us', { id: 'eu', xid: '4242' }))).toEqual({
      runId: 'r1',
      target: 'us',
      coordinator: { key: 'eu', xid: '4242' },
    });
    const long = gidOf('r1', 'x'.repeat(100), { id: 'tenant:with:colons', xid: '1' });
    expect(long.length).toBeLessThan(200);
    expect(parseGid(long)?.coordinator?.xid).toBe('1');
    expect(parseGid('someone-else:1')).toBeUndefined();
  });
});
