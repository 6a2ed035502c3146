import { describe, expect, it } from 'vitest';
import { renderAppliedSection, withAppliedSection } from '../../src/action/applied-section.js';
import type { Outcome } from '../../src/action/execute.js';
import { COMMENT_LIMIT } from '../../src/action/sql-blocks.js';

const MARKER = '<!-- pgshift:plan dir=migrations table=schema_migrations -->';
const outcome = (names: string[]): Outcome => ({
  command: 'migrate',
  ok: true,
  problems: [],
  report: {
    ok: true,
    direction: 'up',
    results: names.map((name, i) => ({
      version: i + 1,
      name,
      file: `migrations/00${i + 1}_${name}.sql`,
      status: 'success' as const,
      durationMs: 12,
      transaction: 'transaction' as const,
    })),
    warnings: [],
    waitedForLock: true,
    durationMs: 30,
  },
});
const section = (names: string[]) =>
  renderAppliedSection({ outcome: outcome(names), where: 'db.internal:5432', at: new Date(Date.UTC(2026, 11, 6, 18, 0, 0)) });

describe('the applied section of the pull request comment', () => {
  it('says where, when, each migration and a lock wait; escapes a migration name that tries to be Markdown or a marker', () => {
    const text = section(['users', '_x_<!-- /pgshift:applied -->@team']);
    expect(text).toContain('### 🚀 Applied on merge: 2 migrations on <code>db.internal:5432</code>');
    expect(text).toContain('Finished 2026-12-06 18:00:00 UTC in 30 ms.');
    expect(text).toContain("It first waited for another run's migration lock.");
    expect(text.match(/<!-- \/pgshift:applied -->/g)).toHaveLength(1);
    expect(text).not.toContain('@team');
  });

  it('has a lock retries column only when a migration was retried after a lock timeout', () => {
    expect(section(['users'])).not.toContain('Lock retries');
    const retried = outcome(['users', 'orders']);
    const results = retried.report!.results.map((r, i) => (i === 1 ? { ...r, lockRetries: 3 } : r));
    const text = renderAppliedSection({
      outcome: { ...retried, report: { ...retried.report!, results } },
      where: 'db.internal:5432',
      at: new Date(0),
    });
    expect(text).toContain('Lock retries');
    expect(text).toContain('3 retries');
  });

  it('replaces its own section at the top, never a look-alike in the report below (a pull request’s SQL may spell it)', () => {
    const report = '### ✅ pgshift: 1 new migration\n```sql\n-- <!-- pgshift:applied -->\nSELECT 1;\n-- <!-- /pgshift:applied -->\n```';
    const first = withAppliedSection(`${MARKER}\n${report}`, MARKER, section(['users']));
    expect(first).toContain('SELECT 1;');
    const second = withAppliedSection(first, MARKER, section(['users', 'orders']));
    expect(second.startsWith(`${MARKER}\n<!-- pgshift:applied -->\n### 🚀 Applied on merge: 2 migrations`)).toBe(true);
    expect(second).not.toContain('Applied on merge: 1 migration');
    expect(second).toContain('-- <!-- pgshift:applied -->\nSELECT 1;');
  });

  it('keeps the whole within GitHub’s limit, cutting the old report and saying so', () => {
    const long = `${MARKER}\n${'a line of the old report\n'.repeat(3_000)}`;
    const body = withAppliedSection(long, MARKER, section(['users']));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain('cut to fit');
    expect(withAppliedSection(undefined, MARKER, 'S')).toBe(`${MARKER}\nS`);
  });
});
