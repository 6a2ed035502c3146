#!/usr/bin/env node
// The Node + pg floor: the least a Node migration runner can do for the same job.
// usage: node floor-node.mjs <dir of pgshift-format files> <database url>
// Reads and checksums every file, reads the tracking table in one round trip,
// and applies what is pending over one connection, one simple-query message
// per migration: BEGIN; <up>; INSERT INTO schema_migrations ...; COMMIT;
// No lock, no validation beyond version + checksum: a floor, not a tool.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const [dir, url] = process.argv.slice(2);
// Synchronous reads: for thousands of small files they are several times
// faster than a Promise.all of fs/promises reads (no thread-pool hand-offs).
const files = readdirSync(dir)
  .filter((n) => n.endsWith('.sql'))
  .sort()
  .map((fileName) => {
    const bytes = readFileSync(join(dir, fileName));
    const underscore = fileName.indexOf('_');
    return {
      version: Number(fileName.slice(0, underscore)),
      name: fileName.slice(underscore + 1, -4),
      checksum: createHash('sha256').update(bytes).digest('hex'),
      bytes,
    };
  });

/** The UP part: after `-- UP`, before `-- DOWN`; decoded only for pending files. */
function upOf(bytes) {
  const text = bytes.toString('utf8');
  const cut = text.indexOf('\n-- DOWN');
  return text.slice(text.startsWith('-- UP\n') ? 6 : 0, cut === -1 ? undefined : cut);
}

const client = new pg.Client({ connectionString: url });
await client.connect();
let applied = new Map();
try {
  const { rows } = await client.query({ text: 'SELECT version, checksum FROM schema_migrations', rowMode: 'array' });
  applied = new Map(rows.map(([version, checksum]) => [Number(version), checksum]));
} catch (error) {
  if (error.code !== '42P01') throw error;
  await client.query(`CREATE TABLE schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    checksum TEXT, duration_ms INTEGER)`);
}
let changed = 0;
for (const f of files) {
  const checksum = applied.get(f.version);
  if (checksum !== undefined) {
    if (checksum !== f.checksum) changed++;
    continue;
  }
  await client.query(
    `BEGIN;\n${upOf(f.bytes)}\n;\nINSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (${f.version}, ${client.escapeLiteral(f.name)}, '${f.checksum}', 0);\nCOMMIT;`,
  );
}
await client.end();
if (changed > 0) {
  process.stderr.write(`${changed} applied migrations changed since they were applied\n`);
  process.exitCode = 1;
}
