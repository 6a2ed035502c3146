/**
 * Reading the settings both front ends take as text (the CLI's flags, the
 * action's inputs): the same values are accepted and the same is said of a
 * bad one, naming it as the front end does (`--lock-wait`, `lock-wait`).
 * Each reader adds what is wrong to `problems`, so that every bad value is
 * reported at once.
 */
import { parseDuration } from '../core/duration.js';
import type { LintMode } from '../core/lint/lint.js';
import { parsePostgresMajor, postgresMajorMessage } from '../core/postgres-version.js';
import { parseTableName } from '../core/table-name.js';

export { DEFAULTS, type CommonSettings } from '../options.js';
export type { LintMode };
export type { LintSettings } from '../core/lint/config.js';

/** verify's settings (lint takes the base and the PostgreSQL version too); each absent unless given. */
export interface VerifySettings {
  readonly base?: string;
  readonly scratchUrl?: string;
  readonly postgresBin?: string;
  readonly postgresVersion?: number;
  /** The whole check's deadline. */
  readonly deadlineMs?: number;
  readonly superuser?: boolean;
  /** Rows per table for the rehearsal on seeded rows (0: none). */
  readonly rehearseRows?: number;
}

/** Any text but an empty one: a directory, a path, a URL (never shown back: it may hold a password). */
export function nonEmpty(name: string, raw: string, problems: string[]): string | undefined {
  if (raw.trim() !== '') return raw;
  problems.push(`${name} must not be empty`);
  return undefined;
}

/** The tracking table, `name` or `schema.name`, by the rule the library checks it with. */
export function tableName(name: string, raw: string, problems: string[]): string | undefined {
  const table = parseTableName(raw);
  if (!('code' in table)) return raw;
  problems.push(`${name}: ${table.message}`);
  return undefined;
}

/** true or false, spelled as YAML 1.2's core schema does (true, True, TRUE), as the runner's getBooleanInput takes them. */
export function boolean(name: string, raw: string, problems: string[]): boolean | undefined {
  const text = raw.trim();
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return undefined;
}

/** A whole number ≥ `min` (surrounding blanks ignored). */
export function wholeNumber(name: string, raw: string, min: number, problems: string[]): number | undefined {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    problems.push(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return undefined;
  }
  return Number(raw);
}

/** How many times to retry a lock timeout: a whole number ≥ 0. */
export function retries(name: string, raw: string, problems: string[]): number | undefined {
  return wholeNumber(name, raw, 0, problems);
}

/** `30s`, `500ms`, `2min`; a bare number is seconds. In milliseconds. */
export function duration(name: string, raw: string, problems: string[]): number | undefined {
  const ms = parseDuration(raw);
  if (ms === undefined) problems.push(`${name} must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "${raw}"`);
  return ms;
}

/** verify's deadline: a duration longer than 0. */
export function verifyTimeout(name: string, raw: string, problems: string[]): number | undefined {
  const ms = duration(name, raw, problems);
  if (ms !== 0) return ms;
  problems.push(`${name} must be longer than 0`);
  return undefined;
}

/** The lint's mode: error, warn or off. */
export function lintMode(name: string, raw: string, problems: string[]): LintMode | undefined {
  if (['error', 'warn', 'off'].includes(raw)) return raw as LintMode;
  problems.push(`${name} must be error, warn or off, got "${raw}"`);
  return undefined;
}

/** A PostgreSQL major, by the one rule of core/postgres-version.ts. */
export function postgresVersion(name: string, raw: string, problems: string[]): number | undefined {
  const major = parsePostgresMajor(raw);
  if (major === undefined) problems.push(postgresMajorMessage(name, raw));
  return major;
}
