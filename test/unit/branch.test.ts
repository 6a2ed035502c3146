import { describe, expect, it } from 'vitest';
import { compareBranch } from '../../src/core/branch.js';
import type { MigrationListing } from '../../src/core/ports.js';
import type { MigrationFile } from '../../src/core/types.js';

const file = (version: number, name: string, checksum = `${version}:${name}`): MigrationFile => ({
  version,
  name,
  fileName: `${String(version).padStart(3, '0')}_${name}.sql`,
  path: `migrations/${String(version).padStart(3, '0')}_${name}.sql`,
  checksum,
  text: '',
});
const listing = (...files: MigrationFile[]): MigrationListing => ({ files, problems: [] });

describe('a branch set against its base', () => {
  it('verifies only what the branch adds', () => {
    const changes = compareBranch(listing(file(1, 'a'), file(2, 'b')), listing(file(1, 'a'), file(2, 'b'), file(3, 'c')), 'main');
    expect(changes.added.map((f) => f.version)).toEqual([3]);
    expect(changes.base.map((f) => f.version)).toEqual([1, 2]);
    expect(changes.problems).toEqual([]);
  });

  it('reports edited, deleted, renamed and renumbered base migrations and a version below the base, all at once, each on its file', () => {
    const base = listing(file(1, 'a'), file(2, 'b'), file(3, 'c'), file(4, 'd'), file(6, 'f'));
    const head = listing(file(1, 'a', 'edited'), file(3, 'see'), file(4, 'd'), file(5, 'late'), file(6, 'f'), file(7, 'b', '2:b'));
    const { problems, added } = compareBranch(base, head, 'main');
    expect(problems.map((p) => [p.code, p.file])).toEqual([
      ['BASE_MIGRATION_EDITED', 'migrations/001_a.sql'],
      ['BASE_MIGRATION_RENUMBERED', 'migrations/007_b.sql'],
      ['BASE_MIGRATION_RENAMED', 'migrations/003_see.sql'],
      ['VERSION_BELOW_BASE', 'migrations/005_late.sql'],
    ]);
    expect(problems[0]?.message).toBe('migrations/001_a.sql is changed by this branch, but it is already on main and may be applied');
    expect(problems[3]?.hint).toContain('renumber it above 6');
    expect(added.map((f) => f.version)).toEqual([5]);
  });

  it('says a deleted base migration is deleted', () => {
    const { problems } = compareBranch(listing(file(1, 'a'), file(2, 'b')), listing(file(1, 'a')), 'origin/main');
    expect(problems).toMatchObject([{ code: 'BASE_MIGRATION_DELETED', file: 'migrations/002_b.sql', severity: 'error' }]);
  });

  it('takes a base without migrations as nothing applied', () => {
    const changes = compareBranch(listing(), listing(file(1, 'a'), file(2, 'b')), 'main');
    expect(changes.added).toHaveLength(2);
    expect(changes.problems).toEqual([]);
  });

  it('keeps the head problems (bad names, duplicates)', () => {
    const bad = { code: 'INVALID_FILE_NAME' as const, severity: 'error' as const, message: 'x', file: 'migrations/x.sql' };
    expect(compareBranch(listing(), { files: [], problems: [bad] }, 'main').problems).toEqual([bad]);
  });
});
