// The lint-case file format (test/lint-cases/cases/*.sql), read by
// scripts/measure-lint-cases.mjs: header comment lines
//   -- case: <one-line description>
//   -- fixture: <name>[, <name>]     shared setups, FIXTURES below
//   -- setup: <SQL>                  more setup; the lines are joined
//   -- pgshift:no-transaction        optional, above -- UP
// then `-- UP`, the statements under test, and optionally `-- DOWN`.
// Splitting rule: a statement ends on a line whose code ends with `;` (a
// trailing -- comment is fine), outside '...' strings and $tag$ quotes. So never
// two statements on one line, no /* */ comments, no backslash-escaped quotes.
// Lines are 1-based line numbers of the case file.

/** Tables that cases share by name; the data come from generate_series, so every run sees the same rows. */
export const FIXTURES = {
  orders: `
    CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, name varchar(50));
    INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'customer ' || g FROM generate_series(1, 10000) g;
    CREATE TABLE orders (id int PRIMARY KEY, customer_id bigint, status varchar(10) NOT NULL DEFAULT 'new', note text,
      amount int, price numeric(10,2), code text, created_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO orders SELECT g, 1 + g % 10000, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'new' END,
      CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END, CASE WHEN g % 11 = 0 THEN NULL ELSE g % 1000 END,
      (g % 1000) / 4.0, (g % 500)::text, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute'
      FROM generate_series(1, 100000) g;
    CREATE INDEX orders_created_at_idx ON orders (created_at);`,
  countries: `
    CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
    INSERT INTO countries VALUES ('de', 'Germany'), ('fr', 'France'), ('it', 'Italy'), ('es', 'Spain'), ('nl', 'Netherlands');`,
};

export function parseCase(text, file) {
  const lines = text.split(/\r?\n/);
  const c = { file, description: '', fixtures: [], setup: [], transaction: true, statements: [], up: null, down: null };
  lines.forEach((line, i) => {
    if (/^--\s*UP\s*$/i.test(line)) c.up = i + 1;
    else if (/^--\s*DOWN\s*$/i.test(line)) c.down = i + 1;
    else if (c.up) return;
    else if (/^--\s*pgshift:no-transaction\s*$/.test(line)) c.transaction = false;
    else if (/^--\s*case:/.test(line)) c.description = line.replace(/^--\s*case:\s*/, '');
    else if (/^--\s*fixture:/.test(line))
      c.fixtures.push(
        ...line
          .replace(/^--\s*fixture:/, '')
          .split(',')
          .map((s) => s.trim()),
      );
    else if (/^--\s*setup:/.test(line)) c.setup.push(line.replace(/^--\s*setup:/, ''));
  });
  if (!c.up || !c.description) throw new Error(`${file}: needs a "-- case:" line and a "-- UP" line`);
  const end = c.down ? c.down - 1 : lines.length;
  let start = null;
  let quote = null; // "'" or a $tag$ while inside one
  for (let i = c.up; i < end; i++) {
    const line = lines[i];
    let code = '';
    for (let j = 0; j < line.length; j++) {
      if (quote) {
        if (line.startsWith(quote, j)) {
          j += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (line.startsWith('--', j)) break;
      const dollar = /^\$[A-Za-z_]*\$/.exec(line.slice(j));
      if (line[j] === "'") quote = "'";
      else if (dollar) {
        quote = dollar[0];
        j += quote.length - 1;
      }
      code += line[j];
    }
    if (start === null && code.trim() === '') continue;
    start ??= i + 1;
    if (!quote && code.trimEnd().endsWith(';')) {
      const sql = lines.slice(start - 1, i + 1).join('\n');
      c.statements.push({ line: start, endLine: i + 1, sql, head: words(sql), text: lines[start - 1].trim().slice(0, 100) });
      start = null;
    }
  }
  if (quote || start !== null) throw new Error(`${file}:${start}: statement not closed by ";" at a line end`);
  return c;
}
const words = (sql) =>
  sql
    .replace(/^(\s*--.*\n)+/, '')
    .split(/[\s(;]+/)
    .filter(Boolean)
    .slice(0, 3)
    .join(' ')
    .toUpperCase();
