// Generates N migrations with identical SQL in each tool's file format.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTableName } from '../../lib/core/table-name.js';
import { createTracking } from '../../lib/postgres/sql.js';

const pad = (i) => String(i).padStart(5, '0');

export const tableName = (i) => `bench_${pad(i)}`;
export const migrationName = (i) => `create_${tableName(i)}`;

/** The UP part every tool runs: a small table, an index, ten rows. */
export function upSql(i) {
  const t = tableName(i);
  const rows = Array.from({ length: 10 }, (_, k) => `(${k + 1}, 'row ${k + 1} of ${t}')`).join(',\n  ');
  return `CREATE TABLE ${t} (
  id integer PRIMARY KEY,
  label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ${t}_label_idx ON ${t} (label);
INSERT INTO ${t} (id, label) VALUES
  ${rows};
`;
}

export const downSql = (i) => `DROP TABLE ${tableName(i)};\n`;

/** The pgshift file (also read by the Node + pg floor). */
export const pgshiftFile = (i) => `-- UP\n${upSql(i)}\n-- DOWN\n${downSql(i)}`;

/** What each tool's directory holds for migration i: [file name, content][]. */
const FORMATS = {
  pgshift: (i) => [[`${pad(i)}_${migrationName(i)}.sql`, pgshiftFile(i)]],
  // node-pg-migrate's SQL loader: `-- Up Migration` / `-- Down Migration` comments.
  'node-pg-migrate': (i) => [[`${pad(i)}_${migrationName(i)}.sql`, `-- Up Migration\n${upSql(i)}\n-- Down Migration\n${downSql(i)}`]],
  // postgrator: one file per direction, `<version>.do.<name>.sql` and `<version>.undo.<name>.sql`.
  postgrator: (i) => [
    [`${pad(i)}.do.${migrationName(i)}.sql`, upSql(i)],
    [`${pad(i)}.undo.${migrationName(i)}.sql`, downSql(i)],
  ],
  dbmate: (i) => [[`${pad(i)}_${migrationName(i)}.sql`, `-- migrate:up\n${upSql(i)}\n-- migrate:down\n${downSql(i)}`]],
};

export const FORMAT_NAMES = Object.keys(FORMATS);

/** sha256 of the pgshift file text: what pgshift and the floors record as the checksum. */
export const checksumOf = (text) => createHash('sha256').update(text).digest('hex');

/** The tracking row the floors insert, same table and columns as pgshift's. */
export function trackingInsert(i) {
  return `INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (${i}, '${migrationName(i)}', '${checksumOf(pgshiftFile(i))}', 0)`;
}

/** pgshift's own tracking table DDL (from the built library, which `npm run bench` builds first), so the floors build the same table. */
export const TRACKING_TABLE = createTracking(parseTableName('schema_migrations'));

/** Writes migrations 1..n of `format` into a new, empty `dir`. */
export async function writeMigrations(format, dir, n) {
  const files = FORMATS[format];
  if (!files) throw new Error(`unknown migration format ${format}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const all = [];
  for (let i = 1; i <= n; i++) all.push(...files(i));
  // Bounded parallelism: fast without running out of file descriptors.
  for (let k = 0; k < all.length; k += 256) {
    await Promise.all(all.slice(k, k + 256).map(([name, text]) => writeFile(join(dir, name), text)));
  }
}

/**
 * The psql floor's script: per migration one simple-query message
 * (`\;` keeps psql from splitting it) with BEGIN, the SQL, the tracking
 * insert and COMMIT; the tracking table is created first.
 */
export async function writePsqlScript(path, n) {
  const oneMessage = (sql) =>
    sql
      .trim()
      .replace(/;\s*$/, '')
      .split(/;\n/)
      .join(' \\;\n');
  const parts = [`${TRACKING_TABLE};`];
  for (let i = 1; i <= n; i++) {
    parts.push(`BEGIN \\;\n${oneMessage(upSql(i))} \\;\n${trackingInsert(i)} \\;\nCOMMIT;`);
  }
  await writeFile(path, parts.join('\n') + '\n');
}
