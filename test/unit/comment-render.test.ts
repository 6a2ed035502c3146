/**
 * The comment as a reader sees it: rendered by a CommonMark/GFM renderer
 * (markdown-it, with raw HTML on as GitHub has it), and checked on the HTML.
 * Issue 17: a dropped column looked like an added one (both nested bullets),
 * the headline and the sections counted differently, a migration whose lint
 * error failed the check was marked ✅, nothing linked to the run or to a
 * rule's documentation, and the passing headline said "1 new migration apply".
 */
import type { Rehearsal } from '../../src/index.js';
import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderPlanComment } from '../../src/action/comment.js';
import { runUrlOf } from '../../src/action/report.js';
import { renderSummary } from '../../src/action/summary.js';
import { renderVerifyComment, type VerifyCommentInput } from '../../src/action/verify-comment.js';
import { REPOSITORY_URL } from '../../src/frontend/rules.js';
import type { Problem } from '../../src/index.js';
import { diffSchemas, summarizeChanges, type Column, type Relation, type SchemaSnapshot } from '../../src/schema/index.js';
import { finding, verifiedMigration, verifyReport } from './comment-fixture.js';

/** A name no rule has, as a finding read back from JSON could carry. */
type RuleName = NonNullable<Problem['lint']>['rule'];

const md = new MarkdownIt({ html: true });
const RUN = 'https://github.com/acme/shop/actions/runs/42';

/** The text a reader sees of some HTML: tags dropped, character references decoded. */
const seen = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Each table body row's cells, as seen. */
const rows = (html: string) =>
  [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map(([, row]) => [...row!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(([, c]) => seen(c!)))
    .filter((cells) => cells.length > 0);

const render = (fields: Partial<VerifyCommentInput>) =>
  md.render(
    renderVerifyComment({
      marker: '<!-- m -->',
      dir: 'migrations',
      table: 't',
      report: verifyReport(),
      problems: [],
      findings: [],
      ...fields,
    }),
  );

const column = (name: string, attnum: number, position = attnum): Column => ({
  name,
  position,
  attnum,
  type: 'text',
  notNull: false,
  default: null,
  identity: null,
  generated: null,
  collation: null,
  storage: null,
  compression: null,
  statisticsTarget: null,
  options: [],
  fdwOptions: [],
  grants: [],
  comment: null,
});
const snapshot = (name: string, columns: Column[]): SchemaSnapshot => {
  const table: Relation = {
    ...{ name, kind: 'table', persistence: 'permanent', rowSecurity: false, forceRowSecurity: false, options: [] },
    ...{ replicaIdentity: 'default', accessMethod: 'heap', tablespace: null, definition: null, partitionKey: null },
    ...{ partitionBound: null, parents: [], server: null, serverOptions: [], owner: 'app', grants: [], revoked: [], comment: null },
    ...{ columns, constraints: [], indexes: [], triggers: [], policies: [], rules: [] },
  };
  const none = { schemas: [], extensions: [], sequences: [], types: [], routines: [], eventTriggers: [], statistics: [] };
  return { ...none, relations: [table], defaultPrivileges: [], others: [] };
};

describe('the schema diff, rendered', () => {
  // id and nick kept (nick renamed: same attnum), age dropped, email added (a new attnum).
  const before = snapshot('public.users', [column('id', 1), column('nick', 2), column('age', 3)]);
  const after = snapshot('public.users', [column('id', 1), column('nickname', 2), column('email', 4, 3)]);

  it('shows an added, a dropped and a renamed column each with its own sign, in a code block, not as bullets', () => {
    const html = render({ report: verifyReport({ schemaSummary: summarizeChanges(diffSchemas(before, after)) }) });
    const block = /<pre><code class="language-diff">([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? '';
    expect(seen(block).split('\n')).toEqual([
      '! table public.users: 3 changes',
      '-     column age',
      '+     column email text',
      '!     column nick renamed to nickname',
      '',
    ]);
    const section = html.slice(html.indexOf('Schema changes'), html.indexOf('<table>'));
    expect(section).not.toContain('<li>');
    expect(seen(section)).toContain('+ added, - dropped, ! changed');
  });

  it('keeps a name with a line break on its line: it cannot start a line of its own', () => {
    const group = { kind: 'table', name: 't', title: 'table t', change: 'changed' as const, changes: [] };
    const lines = [{ sign: '+' as const, text: 'column "a\n- column b" text' }];
    const html = render({ report: verifyReport({ schemaSummary: [{ ...group, headline: 'table t: 1 change', lines }] }) });
    const block = /<pre><code class="language-diff">([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? '';
    expect(seen(block).split('\n')).toEqual(['! table t: 1 change', '+     column "a - column b" text', '']);
  });
});

const problems: Problem[] = [
  {
    code: 'DOWN_NOT_RESTORED',
    severity: 'error',
    message: 'DOWN of 002_m2.sql left index public.t2_note behind',
    file: 'migrations/002_m2.sql',
  },
  { code: 'NO_DOWN', severity: 'warning', message: 'migrations/003_m3.sql has no -- DOWN part', file: 'migrations/003_m3.sql' },
];
const findings: Problem[] = [
  finding('migrations/004_m4.sql', { severity: 'error' }),
  finding('migrations/005_m5.sql', {}, { rule: 'lock-timeout' }),
  finding('migrations/006_m6.sql', {}, { acknowledged: 'the table is tiny' }),
  finding('migrations/006_m6.sql', { severity: 'error' }, { rule: 'not-a-rule' as RuleName }),
];
const failing = {
  report: verifyReport({
    ok: false,
    migrations: [
      verifiedMigration(2, { down: 'differs' }),
      verifiedMigration(3, { hasDown: false, down: 'none', reup: 'none' }),
      verifiedMigration(4),
      verifiedMigration(5),
      verifiedMigration(6),
      verifiedMigration(7),
      verifiedMigration(8, { up: 'not-run', down: 'not-run', reup: 'not-run' }),
    ],
  }),
  problems,
  findings: findings.slice(0, 3),
  runUrl: RUN,
};

describe('the failing comment, rendered', () => {
  const html = render(failing);

  it('counts problems and lint findings the same way in the headline, the sections and the job summary', () => {
    expect(seen(/<h3>(.*?)<\/h3>/.exec(html)![1]!)).toBe('❌ pgshift: 2 errors fail the check');
    const counts = 'Problems: 1 error, 1 warning · lint: 1 error, 1 warning, 1 accepted';
    expect(seen(html)).toContain(counts);
    const sections = [...html.matchAll(/<strong>(Problems|Lint): (.*?)<\/strong>/g)].map(([, what, n]) => `${what}: ${n}`);
    expect(sections).toEqual(['Problems: 1 error, 1 warning', 'Lint: 1 error, 1 warning, 1 accepted']);
    // The headline's errors are the problems' and the lint's, as the sections count them.
    const errors = sections.map((line) => Number(/(\d+) errors?/.exec(line)![1]));
    expect(`${errors.reduce((a, b) => a + b, 0)} errors`).toBe(/: (\d+ errors?) fail/.exec(seen(html))![1]);

    const markdown = renderVerifyComment({ marker: '<!-- m -->', dir: 'migrations', table: 't', ...failing, place: 'summary' });
    const outcome = { command: 'verify' as const, ok: false, problems };
    const summary = md.render(renderSummary({ outcome, reason: 'auto', dir: 'migrations', table: 't', problems, body: markdown }));
    expect(seen(summary)).toContain('❌ pgshift: 2 errors fail the check');
    expect(seen(summary)).toContain(counts);
    expect(md.render(renderSummary({ outcome, reason: 'auto: push → migrate', dir: 'm', table: 't', problems }))).toContain(
      '<strong>Problems: 1 error, 1 warning</strong>',
    );
  });

  it("marks each migration's row by its own steps, problems and lint findings", () => {
    const marks = rows(html).map((cells) => [cells[0], cells[1], cells[7]]);
    expect(marks).toEqual([
      ['❌', 'migrations/002_m2.sql', 'problems: 1 error'],
      ['⚠️', 'migrations/003_m3.sql', 'problems: 1 warning'],
      ['❌', 'migrations/004_m4.sql', 'lint: 1 error'],
      ['⚠️', 'migrations/005_m5.sql', 'lint: 1 warning'],
      ['✅', 'migrations/006_m6.sql', 'lint: 1 accepted'],
      ['✅', 'migrations/007_m7.sql', ''],
      ['⏭️', 'migrations/008_m8.sql', ''],
    ]);
  });

  it('links the workflow run and each rule to its section of the README', () => {
    expect(html).toContain(`<a href="${RUN}">workflow run</a>`);
    expect(html).toContain('<a href="https://github.com/pgshift/pgshift#rule-create-index"><code>create-index</code></a>');
    expect(html).toContain('<a href="https://github.com/pgshift/pgshift#rule-lock-timeout"><code>lock-timeout</code></a>');
    // A name that is no rule's is not linked.
    expect(render({ ...failing, findings: findings.slice(3) })).toMatch(/[^>]<code>not-a-rule<\/code>/);
    const homepage = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { homepage: string }).homepage;
    expect(homepage).toBe(`${REPOSITORY_URL}#readme`);
    const plan = md.render(renderPlanComment({ marker: '<!-- m -->', dir: 'm', table: 't', problems: [], runUrl: RUN }));
    expect(plan).toContain(`<a href="${RUN}">workflow run</a>`);
  });

  it("builds the run's address from the runner's variables, and none from values GitHub would not set", () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '42' };
    expect(runUrlOf(env)).toBe(RUN);
    expect(runUrlOf({ ...env, GITHUB_SERVER_URL: 'https://ghe.example.com/' })).toBe('https://ghe.example.com/acme/shop/actions/runs/42');
    expect(runUrlOf({ ...env, GITHUB_RUN_ID: undefined })).toBeUndefined();
    expect(runUrlOf({ ...env, GITHUB_SERVER_URL: 'javascript:alert(1)' })).toBeUndefined();
    expect(runUrlOf({ ...env, GITHUB_REPOSITORY: 'acme/shop) [x](https://evil.example' })).toBeUndefined();
  });
});

describe('the passing comment, rendered', () => {
  const headline = (html: string) => seen(/<h3>(.*?)<\/h3>/.exec(html)![1]!);

  it('makes its verbs agree with the count of migrations', () => {
    expect(headline(render({}))).toBe("✅ pgshift: 1 new migration applies on main's schema, rolls back exactly and applies again");
    const two = verifyReport({ migrations: [verifiedMigration(2), verifiedMigration(3)] });
    expect(headline(render({ report: two }))).toBe(
      "✅ pgshift: 2 new migrations apply on main's schema, roll back exactly and apply again",
    );
    const noDown = verifyReport({
      migrations: [verifiedMigration(2), verifiedMigration(3, { hasDown: false, down: 'none', reup: 'none' })],
    });
    expect(headline(render({ report: noDown }))).toBe(
      "✅ pgshift: 2 new migrations apply on main's schema; the 1 with a DOWN part rolls back exactly and applies again",
    );
  });

  it('says what was checked: the lint with no findings, or the lint off', () => {
    expect(seen(render({ lintMode: 'warn' }))).toContain('Problems: none · lint: no findings');
    expect(seen(render({ lintMode: 'off' }))).toContain(
      'Problems: none · lint: off (the lint input, PGSHIFT_LINT or lint.mode in the config file)',
    );
    const warned = render({ findings: [finding('migrations/002_m2.sql')] });
    expect(headline(warned)).toMatch(/^⚠️ pgshift: 1 new migration applies/);
    expect(seen(warned)).toContain('Problems: none · lint: 0 errors, 1 warning, 0 accepted');
  });
});

describe('a huge migration, rendered', () => {
  it('is shortened with a note and hides none of the migrations after it', () => {
    const huge = `SELECT '${'`'.repeat(30_000)}';\nSELECT 2;`;
    const migrations = [2, 3, 4, 5].map((n) => verifiedMigration(n, n === 3 ? { upSql: huge } : {}));
    const html = render({ report: verifyReport({ migrations }), runUrl: RUN });
    expect(seen(html)).toContain("1 SQL block shortened to keep this comment within GitHub's 65,536-character limit.");
    expect(html).toContain(`The job summary of <a href="${RUN}">this run</a> has room for more`);
    expect(seen(html)).toMatch(
      /Shortened: the first \d+ characters of 30020 \(a line is cut\) shown; the full SQL is in migrations\/003_m3.sql/,
    );
    const blocks = [
      ...html.matchAll(/<summary><code>(.*?)<\/code> · UP<\/summary>\s*<pre><code class="language-sql">([\s\S]*?)<\/code><\/pre>/g),
    ];
    expect(blocks.map(([, file]) => seen(file!))).toEqual([2, 3, 4, 5].map((n) => `migrations/00${n}_m${n}.sql`));
    for (const n of [4, 5]) expect(seen(blocks[n - 2]![2]!)).toBe(`${verifiedMigration(n).upSql}\n`);
    expect(html).toMatch(/<sub>pgshift verify · [\s\S]*<\/sub><\/p>\s*$/);
  });
});

describe("the comment's rehearsal section", () => {
  const rehearsal: Rehearsal = {
    tinyRows: 10,
    rows: 10_000,
    migrations: [
      {
        version: 2,
        file: 'migrations/002_m2.sql',
        seeded: ['public.orders'],
        notSeeded: [{ table: 'public.slots', reason: 'an exclusion constraint: synthetic rows cannot be made to meet it' }],
        statements: [
          { index: 0, line: 2, summary: 'took ACCESS EXCLUSIVE on public.orders for 2 ms; read 0 and wrote 0 of 10,000 rows' },
          {
            index: 1,
            line: 3,
            hazard: 'held SHARE on public.orders for 40 ms while building index public.o_idx over 10,000 rows',
            summary: '',
          },
        ],
      },
      { version: 3, file: 'migrations/003_m3.sql', skipped: 'it runs outside a transaction', seeded: [], notSeeded: [], statements: [] },
    ],
    cleared: [{ file: 'migrations/002_m2.sql', line: 2, rule: 'column-type-rewrite', reason: 'measured on seeded rows: no rewrite' }],
  };

  it('shows per statement what was measured, what was not seeded or rehearsed, and what the measurement cleared', () => {
    const html = render({ report: verifyReport({ rehearsal }) });
    expect(seen(html)).toContain('Rehearsal on 10,000 seeded rows per table (and 10)');
    expect(rows(html).filter((cells) => cells.length === 3)).toEqual([
      [
        'ℹ️',
        'migrations/002_m2.sql',
        'public.slots not seeded (an exclusion constraint: synthetic rows cannot be made to meet it): the static rules stand alone',
      ],
      ['✅', 'migrations/002_m2.sql:2', 'took ACCESS EXCLUSIVE on public.orders for 2 ms; read 0 and wrote 0 of 10,000 rows'],
      ['❌', 'migrations/002_m2.sql:3', 'held SHARE on public.orders for 40 ms while building index public.o_idx over 10,000 rows'],
      ['⏭️', 'migrations/003_m3.sql', 'not rehearsed: it runs outside a transaction'],
      ['✅', 'migrations/002_m2.sql:2', 'column-type-rewrite cleared: measured on seeded rows: no rewrite'],
    ]);
  });

  it('has no such section without a rehearsal', () => {
    expect(seen(render({}))).not.toContain('Rehearsal on');
  });
});
