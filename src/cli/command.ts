import type { Migrator } from '../index.js';
import type { CliOptions } from './args.js';
import type { Style } from './output.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Printer {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly style: Style;
}

/** What every command gets: the checked options, the Migrator built from them, where it points, the output. */
export interface CommandContext {
  readonly options: CliOptions;
  readonly migrator: Migrator;
  /** The database as the text names it ("no database" without one). */
  readonly where: string;
  readonly p: Printer;
  readonly env: Env;
}

/** A command's module: runs it and returns the exit code. */
export interface CommandModule {
  readonly run: (context: CommandContext) => Promise<number>;
}

/** The JSON document with --json, the human text otherwise. */
export const showWith = (options: CliOptions, p: Printer) => (json: () => unknown, human: () => string) =>
  p.out(options.json ? JSON.stringify(json(), null, 2) : human());
