/**
 * What both front ends share about drift: the mode's one rule (the CLI's
 * --drift, the action's drift input), the check's options from their
 * settings, and the JSON document of a drift report.
 */
import { problemJson, type SettingWords } from '../json.js';
import type { DriftOptions, DriftReport } from '../engine/drift.js';
import type { DriftCheck, DriftMode } from '../engine/drift-gate.js';
import type { VerifySettings } from './settings.js';

export type { DriftCheck, DriftMode };

type Env = Readonly<Record<string, string | undefined>>;

/** The drift check's mode: fail, warn or off. */
export function driftMode(name: string, raw: string, problems: string[]): DriftMode | undefined {
  const text = raw.trim();
  if (text === 'fail' || text === 'warn' || text === 'off') return text;
  problems.push(`${name} must be fail, warn or off, got "${raw}"`);
  return undefined;
}

/** What a front end knows of the drift check: its scratch server (as verify's), the config file's patterns, the mode. */
export interface DriftSettings extends Pick<VerifySettings, 'scratchUrl' | 'postgresBin' | 'postgresVersion' | 'deadlineMs'> {
  readonly mode?: DriftMode;
  readonly exclude?: readonly string[];
}

/** The engine's drift options: the private server's directory in RUNNER_TEMP on GitHub's runners, binaries found in `env`. */
export function driftOptions(given: DriftSettings, env: Env): DriftOptions {
  return {
    scratchUrl: given.scratchUrl,
    postgresBin: given.postgresBin,
    postgresVersion: given.postgresVersion,
    deadlineMs: given.deadlineMs,
    exclude: given.exclude ?? [],
    tempRoot: env.RUNNER_TEMP || undefined,
    env,
  };
}

/** migrate's drift check, or undefined when it is off (the default unless `fallback` says otherwise). */
export function driftCheck(given: DriftSettings, env: Env, fallback: DriftMode = 'off'): DriftCheck | undefined {
  const mode = given.mode ?? fallback;
  return mode === 'off' ? undefined : { ...driftOptions(given, env), mode };
}

/** A drift report: each difference in words, the problems, the server, the time of each phase. */
export function driftJson(r: DriftReport, words: SettingWords = {}): Record<string, unknown> {
  return {
    ok: r.ok,
    drift: r.differences.length > 0,
    applied_migrations: r.applied,
    ...(r.server && { server: r.server }),
    schemas: r.schemas,
    differences: r.differences,
    changes: r.changes,
    problems: r.problems.map((p) => problemJson(p, words)),
    duration_ms: r.phases,
  };
}
