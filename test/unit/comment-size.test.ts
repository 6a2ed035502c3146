/**
 * GitHub refuses a comment over 65,536 characters: a pull request adding
 * 300 migrations once produced one of 90,000. The report fits, keeps the
 * verdict and the problems, and says what it left out and where to see it.
 */
import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT } from '../../src/action/comment.js';
import { renderVerifyComment, type VerifyCommentInput } from '../../src/action/verify-comment.js';
import type { Problem, VerifiedMigration } from '../../src/index.js';
import { finding, group, outsideFences, verifiedMigration, verifyReport } from './comment-fixture.js';

const sqlOf = (version: number, lines: number) =>
  Array.from({ length: lines }, (_, i) => `INSERT INTO t${version} (id, note) VALUES (${i}, 'row ${i} of migration ${version}');`).join(
    '\n',
  );

const input = (migrations: readonly VerifiedMigration[], fields: Partial<VerifyCommentInput> = {}): VerifyCommentInput => {
  const findings = migrations.map((m, i) => finding(m.file, { severity: i % 10 === 0 ? 'error' : 'warning' }));
  const problems: Problem[] = [
    {
      code: 'DOWN_NOT_RESTORED',
      severity: 'error',
      message: 'DOWN of 007_m7.sql left index public.t7_note behind',
      file: 'migrations/007_m7.sql',
    },
    {
      code: 'OUT_OF_ORDER',
      severity: 'warning',
      message: 'migrations/150_m150.sql is numbered below the base',
      file: 'migrations/150_m150.sql',
    },
  ];
  return {
    marker: '<!-- pgshift:plan dir=migrations table=schema_migrations -->',
    dir: 'migrations',
    table: 'schema_migrations',
    report: verifyReport({
      ok: false,
      sandbox: { server: 'private', osUser: 'postgres', minimalEnvironment: true, superuser: false, deadlineMs: 600_000 },
      migrations,
      problems,
      findings,
      schemaSummary: migrations.map((m) =>
        group(`public.t${m.version}`, ['column id bigint NOT NULL', 'column note text', 'index t_note (note)']),
      ),
    }),
    problems,
    findings,
    sha: '0123456789abcdef',
    ...fields,
  };
};

const many = Array.from({ length: 300 }, (_, i) => verifiedMigration(i + 2, { upSql: sqlOf(i + 2, 10) }));

describe('the size of the verify comment', () => {
  it('regression: 300 new migrations with SQL, findings and schema changes fit in 65,536 characters, verdict and problems first', () => {
    const body = renderVerifyComment(input(many));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT - 500);
    expect(body).toMatch(/^<!-- pgshift:plan .*-->\n### ❌ pgshift: 31 errors fail the check\n/);
    expect(body).toContain('> DOWN of 007&#95;m7.sql left index public.t7&#95;note behind (and 30 more below)');
    expect(body).toContain('🛡️ Sandbox: the new migrations ran without superuser rights');
    expect(body).toContain('Problems: 1 error, 1 warning · lint: 30 errors, 270 warnings, 0 accepted');
    expect(body).toContain('**Problems: 1 error, 1 warning**');
    expect(body).toContain('migrations/150&#95;m150.sql is numbered below the base');
    // The whole table of migrations, the lint's errors: what a reviewer reads first.
    expect(body).toContain('| ⚠️ | <code>migrations/301&#95;m301.sql</code> |');
    expect(body).toContain('**Lint: 30 errors, 270 warnings, 0 accepted**');
    // What was left out, and where to see it all.
    const note = /> \[!NOTE\]\n> (.*)/.exec(body)?.[1] ?? '';
    expect(note).toMatch(
      /^Left out to keep this comment within GitHub's 65,536-character limit: .*\d+ lines of the schema diff and the SQL of \d+ migrations\./,
    );
    expect(note).toContain(
      "The job summary of this run has room for more, the job's log has the problems and lint findings as annotations",
    );
    expect(body.indexOf('[!NOTE]')).toBeLessThan(body.indexOf('**Problems: 1 error, 1 warning**'));
    expect(body).toMatch(/<sub>pgshift verify · .* updated on every push<\/sub>$/);
  });

  it('in the job summary, which has more room, holds all of it', () => {
    const body = renderVerifyComment(input(many, { place: 'summary' }));
    expect(body).not.toContain('[!NOTE]');
    expect(body).toContain(sqlOf(301, 10));
    expect(body.match(/<details><summary><code>migrations\/\d+&#95;m\d+\.sql<\/code> · (UP|DOWN)<\/summary>/g)).toHaveLength(600);
  });

  it('keeps the SQL of as many migrations as fit, in order, and counts the others', () => {
    const body = renderVerifyComment(input(many.slice(0, 60)));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const shown = [...body.matchAll(/<summary><code>migrations\/(\d+)&#95;m\d+\.sql<\/code> · UP<\/summary>/g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(shown.map((_, i) => i + 2));
    expect(body).toContain(`the SQL of ${60 - shown.length} migrations.`);
  });

  it('regression: one huge migration (a 30,000-backtick line) is shortened with a note and hides none of the migrations after it', () => {
    const huge = `SELECT '${'`'.repeat(30_000)}';\nSELECT 2;`;
    const migrations = [
      verifiedMigration(2),
      verifiedMigration(3, { upSql: huge }),
      verifiedMigration(4),
      verifiedMigration(5, { upSql: sqlOf(5, 3000) }),
      verifiedMigration(6),
    ];
    const body = renderVerifyComment(input(migrations, { findings: [] }));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain("2 SQL blocks shortened to keep this comment within GitHub's 65,536-character limit.");
    expect(body).toMatch(
      /Shortened: the first \d+ characters of 30020 \(a line is cut\) shown; the full SQL is in <code>migrations\/003&#95;m3.sql<\/code>/,
    );
    expect(body).toMatch(/Shortened: the first \d+ lines of 3000 shown; the full SQL is in <code>migrations\/005&#95;m5.sql<\/code>/);
    // Every fence is closed: the blocks after the huge one are Markdown again, with their SQL whole in fences.
    const prose = outsideFences(body);
    for (const n of [2, 4, 6]) {
      expect(prose).toContain(`<details><summary><code>migrations/00${n}&#95;m${n}.sql</code> · UP</summary>`);
      expect(body).toContain(`\`\`\`sql\n${verifiedMigration(n).upSql}\n\`\`\``);
    }
    expect(prose).not.toContain('INSERT INTO');
    expect(prose).toContain('<sub>pgshift verify');
  });
});
