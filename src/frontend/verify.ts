/**
 * verify's options from a front end's settings: the base's migrations read
 * with git, the server to prove on, the deadline, where the private server's
 * directory goes (RUNNER_TEMP on GitHub's runners) and the environment to
 * find PostgreSQL in.
 */
import type { ConnectionInput } from '../postgres/connection-info.js';
import type { VerifyOptions } from '../engine/verify.js';
import { gitSource } from '../source/git.js';
import type { VerifySettings } from './settings.js';

/** The schema changes in words, as verify's and repair's reports give them. */
export { describeChanges } from '../schema/describe.js';
export { defaultBase, gitParents, gitRevParse, hasCommit, mergeBase, remoteBranch, type DefaultBase } from '../source/git-base.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The commit the migrations are checked against, and how to name it. */
export interface Base {
  readonly commit: string;
  readonly name: string;
}

export interface VerifyAt {
  readonly base: Base;
  /** The migrations directory. */
  readonly dir: string;
  readonly env: Env;
  /** Where git runs; default the process's directory. */
  readonly cwd?: string;
  /** A connection: the findings then name the size there of the tables they are about. */
  readonly production?: ConnectionInput | undefined;
}

export function verifyOptions(given: VerifySettings, at: VerifyAt): VerifyOptions {
  return {
    base: gitSource({ ref: at.base.commit, dir: at.dir, ...(at.cwd !== undefined && { cwd: at.cwd }) }),
    baseName: at.base.name,
    scratchUrl: given.scratchUrl,
    postgresBin: given.postgresBin,
    postgresVersion: given.postgresVersion,
    deadlineMs: given.deadlineMs,
    superuser: given.superuser,
    ...(given.rehearseRows !== undefined && { rehearseRows: given.rehearseRows }),
    tempRoot: at.env.RUNNER_TEMP || undefined,
    env: at.env,
    ...(at.production !== undefined && { production: at.production }),
  };
}
