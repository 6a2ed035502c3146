/**
 * The migrations directory, read as the library reads it, with where it was
 * named in the errors: a directory that is not there is a path someone set
 * somewhere (PGSHIFT_DIR, the config file) or the default nobody set, and
 * the fix is in that place.
 */
import type { MigrationSource } from '../core/ports.js';
import { PgshiftError, problem } from '../core/problem.js';
import { directorySource } from '../source/directory.js';
import { LAYERED } from './layers.js';

/** Where the directory was named when no flag named it. */
export interface DirectoryOrigin {
  readonly place: 'env' | 'file' | 'default';
  /** The config file, as given or the default (pgshift.json). */
  readonly file: string;
  /** How the front end names its own setting of the directory: `--dir` (the default), `the dir input`. */
  readonly flag?: string;
}

/** A directory source whose missing-directory errors say where the directory was named and where to change it. */
export function directoryFrom(dir: string, origin: DirectoryOrigin): MigrationSource {
  const source = directorySource(dir);
  return {
    location: source.location,
    read: () =>
      source.read().catch((error: unknown) => {
        throw error instanceof PgshiftError ? named(error, origin) : error;
      }),
  };
}

function named(error: PgshiftError, origin: DirectoryOrigin): PgshiftError {
  const p = error.problem;
  if (p.code !== 'DIR_NOT_FOUND' && p.code !== 'DIR_NOT_A_DIRECTORY') return error;
  const env = LAYERED.dir.env;
  const key = `"dir" in ${origin.file}`;
  const flag = origin.flag ?? '--dir';
  const [where, fix] =
    origin.place === 'env'
      ? [`from ${env}`, `set ${env} to the right one (${flag} overrides it)`]
      : origin.place === 'file'
        ? [`from ${key}`, `correct ${key} (${env} and ${flag} override it)`]
        : [`the default: no ${flag.replace(/^the /, '')}, ${env} or ${key} named one`, `name the right one with ${flag}, ${env} or ${key}`];
  const hint = p.code === 'DIR_NOT_FOUND' ? `create it, or ${fix}` : `${fix}: the directory that holds the .sql files`;
  const { code, message, ...fields } = p;
  return new PgshiftError(problem(code, `${message} (${where})`, { ...fields, hint }), { cause: error });
}
