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

export { DEFAULTS, type CommonSettings } from '../options.js';
export type { LintMode };

/** verify's settings (lint takes the base and the PostgreSQL version too); each absent unless given. */
export interface VerifySettings {
  readonly base?: string;
  readonly scratchUrl?: string;
  readonly postgresBin?: string;
  readonly postgresVersion?: number;
  /** The whole check's deadline. */
  readonly deadlineMs?: number;
  readonly superuser?: boolean;
}

/** A whole number ≥ `min` (surrounding blanks ignored). */
export function wholeNumber(name: string, raw: string, min: number, problems: string[]): number | undefined {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    problems.push(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return undefined;
  }
  return Number(raw);
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
  if (ms === 0) problems.push(`${name} must be longer than 0`);
  return ms;
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
