/**
 * What strangers write reaches the pull request comment and the job summary
 * (file names, table names, server errors, lint findings): none of it may
 * notify anyone or link an issue, and the comment says what protected the
 * runner while their migrations ran.
 */
import { describe, expect, it } from 'vitest';
import { commentMarker, renderPlanComment } from '../../src/action/comment.js';
import { renderSummary } from '../../src/action/summary.js';
import { renderVerifyComment, sandboxLine } from '../../src/action/verify-comment.js';
import type { PlannedMigration, Problem, RuleName, SandboxReport } from '../../src/index.js';
import { finding, group, liveReferences, outsideFences, verifiedMigration, verifyReport } from './comment-fixture.js';

const EVIL = '@someone @org/team #1234 acme/shop#99 mail@example.com';
const LITERALS = ['@someone', '@org/team', '#1234', 'shop#99', '@example'];
const file = 'migrations/002_@someone_#1234.sql';

const problems: Problem[] = [
  {
    code: 'MIGRATION_FAILED',
    severity: 'error',
    message: `relation "${EVIL}" does not exist`,
    file,
    line: 3,
    hint: `ask ${EVIL}`,
    server: { sqlstate: '42P01' },
  },
  { code: 'OUT_OF_ORDER', severity: 'warning', message: `out of order: ${EVIL}`, file },
];
const findings: Problem[] = [
  finding(
    file,
    { severity: 'error', message: `index on ${EVIL}`, hint: `see ${EVIL}` },
    // Not a rule's name: a finding's fields are repository text to the renderer all the same.
    { observed: `took SHARE on ${EVIL}`, size: EVIL, rule: '@rule#7' as RuleName },
  ),
  finding(file, { message: `warning about ${EVIL}` }, { fix: `CREATE INDEX CONCURRENTLY "${EVIL}" ON t (a);` }),
  finding(file, {}, { acknowledged: `reviewed by ${EVIL}` }),
];

function expectNoLiveReferences(markdown: string) {
  expect(liveReferences(markdown)).toEqual([]);
  const prose = outsideFences(markdown);
  for (const literal of LITERALS) expect(prose).not.toContain(literal);
}

describe('text from the repository in the comment', () => {
  it('never mentions anyone or links an issue in the verify comment and its job summary; SQL in fences stays as written', () => {
    const body = renderVerifyComment({
      marker: commentMarker('db/@org/team', 'schema_migrations'),
      dir: 'db/@org/team',
      table: 'schema_migrations',
      report: verifyReport({
        ok: false,
        base: `main ${EVIL}`,
        server: { version: `17.2 ${EVIL}`, kind: 'private' },
        sandbox: { server: 'private', osUser: '@someone', minimalEnvironment: true, superuser: false, deadlineMs: 600_000 },
        migrations: [
          verifiedMigration(2, { name: EVIL, file, upSql: `SELECT '${EVIL}';`, down: 'differs' }),
          verifiedMigration(3, { file: 'migrations/003_#1234.sql' }),
        ],
        schemaSummary: [group(`public."${EVIL}"`, [`column "${EVIL}" text`, `#1234 ${EVIL}`])],
      }),
      problems,
      findings,
      sha: 'abcdef0123456789',
      production: {
        plan: {
          pending: [{ ...verifiedMigration(2, { file }), statements: 1, outOfOrder: false, sql: 'SELECT 1;', checksum: 'x' }],
          problems: [],
          ok: true,
          table: 't',
          findings: [],
        },
      },
    });
    expectNoLiveReferences(body);
    // Still readable: the names are there, escaped, and the SQL is verbatim inside its fence.
    expect(body).toContain('&#64;&#8203;someone');
    expect(body).toContain('<code>migrations/002&#95;&#64;someone&#95;&#35;1234.sql</code>');
    expect(body).toContain(`\`\`\`sql\nSELECT '${EVIL}';\n\`\`\``);
    expect(body).toContain(`CREATE INDEX CONCURRENTLY "${EVIL}" ON t (a);`);

    const summary = renderSummary({
      outcome: { command: 'verify', ok: false, problems, failure: EVIL },
      reason: `auto: pull_request ${EVIL} → verify`,
      dir: 'db/@org/team',
      table: '@someone',
      problems,
      body: body.slice(body.indexOf('\n') + 1),
      commentWarning: `could not comment: ${EVIL}`,
    });
    expectNoLiveReferences(summary);
  });

  it('never mentions anyone or links an issue in the plan comment, nor in a summary of a run', () => {
    const pending: PlannedMigration[] = [
      {
        version: 2,
        name: EVIL,
        file,
        transaction: 'transaction',
        statements: 1,
        hasDown: true,
        outOfOrder: true,
        sql: `SELECT '${EVIL}';`,
        checksum: 'x',
      },
    ];
    const base = { marker: commentMarker('migrations', 't'), dir: 'migrations', table: `t${EVIL}`, problems, findings, sha: 'abc1234' };
    expectNoLiveReferences(renderPlanComment({ ...base, plan: { pending, problems, ok: false, table: 't', findings } }));
    expectNoLiveReferences(renderPlanComment({ ...base, problems: [], failure: `could not connect: ${EVIL}` }));

    const summary = renderSummary({
      outcome: {
        command: 'migrate',
        ok: false,
        problems,
        failure: EVIL,
        report: {
          ok: false,
          direction: 'up',
          results: [{ version: 2, name: EVIL, file, status: 'error', transaction: 'transaction', durationMs: 5 }],
          warnings: [],
          waitedForLock: false,
          durationMs: 5,
        },
      },
      reason: 'auto: push to main → migrate',
      dir: 'migrations',
      table: 't',
      problems,
    });
    expectNoLiveReferences(summary);
    expect(summary).toContain('&#64;&#8203;someone');
  });
});

describe('the sandbox line of the verify comment', () => {
  const sandbox = (fields: Partial<SandboxReport>): SandboxReport => ({
    server: 'private',
    osUser: 'postgres',
    minimalEnvironment: true,
    superuser: false,
    deadlineMs: 600_000,
    ...fields,
  });
  const render = (s?: SandboxReport) =>
    renderVerifyComment({
      marker: '<!-- m -->',
      dir: 'migrations',
      table: 't',
      report: verifyReport(s ? { sandbox: s } : {}),
      problems: [],
      findings: [],
    });

  it('says near the top that the new migrations ran without superuser rights on a private server, and the deadline', () => {
    const body = render(sandbox({}));
    const line =
      "🛡️ Sandbox: the new migrations ran without superuser rights, as the database's owner, on a private PostgreSQL server run as user <code>postgres</code> with a minimal environment; deadline 10 min.";
    expect(body.split('\n\n').slice(0, 3)).toContain(line);
    expect(body.indexOf(line)).toBeLessThan(body.indexOf('**Schema changes'));
    expect(sandboxLine({ server: 'private', minimalEnvironment: false, superuser: false, deadlineMs: 600_000 })).toContain(
      "on a private PostgreSQL server run as the job's user with the job's environment;",
    );
  });

  it('says plainly when they ran as a superuser, and when on the server of the scratch-url input', () => {
    expect(sandboxLine(sandbox({ superuser: true }))).toBe(
      "⚠️ Sandbox: the new migrations ran **as a superuser**, able to run programs as the server's operating-system user, on a private PostgreSQL server run as user <code>postgres</code> with a minimal environment; deadline 10 min.",
    );
    expect(sandboxLine(sandbox({ server: 'given', superuser: true, deadlineMs: 90_000 }))).toBe(
      "⚠️ Sandbox: the new migrations ran **as a superuser**, able to run programs as the server's operating-system user, on the server of the scratch-url input; deadline 1 min 30 s.",
    );
    expect(sandboxLine(sandbox({ server: 'given' }))).toContain(
      'without superuser rights, as its user, on the server of the scratch-url input;',
    );
  });

  it('is absent when no migration ran', () => {
    expect(render()).not.toContain('Sandbox');
  });
});
