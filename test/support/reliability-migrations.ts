/**
 * Migration sets for the reliability suite. Each audited migration writes a
 * row to `audit` in its own transaction, so the audit table tells how many
 * times each UP and DOWN really ran, in order, whatever the processes said.
 */
import type { RelDatabase } from './reliability-db.js';

/** An advisory-lock key the tests hold to park a migration at a known point (pgshift's own keys are 64-bit name hashes). */
export const GATE = 770_001;

/** Makes the audit table the audited migrations write to (not itself a migration, so it survives every rollback). */
export async function createAudit(db: RelDatabase): Promise<void> {
  await db.query(`CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    version int NOT NULL,
    op text NOT NULL CHECK (op IN ('up', 'down')),
    pid int NOT NULL DEFAULT pg_backend_pid(),
    at timestamptz NOT NULL DEFAULT clock_timestamp()
  )`);
}

export const pad = (version: number) => String(version).padStart(3, '0');

export interface AuditedOptions {
  /** Migration 001 first waits while the test holds GATE (a no-op when it does not). */
  readonly gateFirst?: boolean;
  /** SQL to run in every UP, e.g. a short pg_sleep to widen the window a kill can land in. */
  readonly extra?: string;
}

/** `count` migrations `NNN_t.sql`, each creating table t_NNN and auditing its UP and DOWN. */
export function auditedMigrations(count: number, options: AuditedOptions = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (let v = 1; v <= count; v++) {
    const gate = v === 1 && options.gateFirst ? `SELECT pg_advisory_xact_lock_shared(${GATE});\n` : '';
    files[`${pad(v)}_t.sql`] =
      `-- UP\n${gate}CREATE TABLE t_${pad(v)} (id int);\n${options.extra ?? ''}INSERT INTO audit (version, op) VALUES (${v}, 'up');\n` +
      `-- DOWN\nDROP TABLE t_${pad(v)};\nINSERT INTO audit (version, op) VALUES (${v}, 'down');\n`;
  }
  return files;
}

export interface AuditCheck {
  /** Versions whose audit history is not up, down, up, ... (applied twice, or undone when not applied). */
  readonly broken: number[];
  /** Versions whose last audited operation is 'up'. */
  readonly live: number[];
  readonly ups: number;
  readonly downs: number;
}

/** Reads the audit log and checks that, per version, ups and downs alternate starting with an up. */
export async function checkAudit(db: RelDatabase): Promise<AuditCheck> {
  const rows = await db.query<{ version: number; op: string }>(`SELECT version, op FROM audit ORDER BY id`);
  const last = new Map<number, string>();
  const broken = new Set<number>();
  let ups = 0;
  let downs = 0;
  for (const { version, op } of rows) {
    const previous = last.get(version) ?? 'down';
    if (previous === op) broken.add(version);
    last.set(version, op);
    if (op === 'up') ups++;
    else downs++;
  }
  const live = [...last.entries()]
    .filter(([, op]) => op === 'up')
    .map(([v]) => v)
    .sort((a, b) => a - b);
  return { broken: [...broken].sort((a, b) => a - b), live, ups, downs };
}

/** Versions v for which table t_v exists. */
export async function liveTables(db: RelDatabase): Promise<number[]> {
  const rows = await db.query<{ t: string }>(`SELECT relname AS t FROM pg_class WHERE relkind = 'r' AND relname ~ '^t_[0-9]+$' ORDER BY 1`);
  return rows.map((r) => Number(r.t.slice(2))).sort((a, b) => a - b);
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
