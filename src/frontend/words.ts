/**
 * What each front end calls the settings the engine's hints speak of: the
 * CLI by its flags, the action by its inputs. One row a setting, so that a
 * new setting gets its flag and its input together.
 */
import type { Setting } from '../core/problem.js';
import type { SettingWords } from '../json.js';

export type { SettingWords };

/** Each setting's flag, and its input where the action has one by another name than the flag's. */
const SETTINGS: Readonly<Record<Setting, { readonly flag: string; readonly input?: string }>> = {
  connection: { flag: '--database-url or DATABASE_URL', input: 'connection' },
  dir: { flag: '--dir' },
  table: { flag: '--table' },
  strictOrder: { flag: '--strict-order' },
  lockWait: { flag: '--lock-wait' },
  lockTimeout: { flag: '--lock-timeout' },
  lockRetries: { flag: '--lock-retries' },
  statementTimeout: { flag: '--statement-timeout' },
  base: { flag: '--base' },
  scratchUrl: { flag: '--scratch-url' },
  postgresBin: { flag: '--postgres-bin' },
  postgresVersion: { flag: '--postgres-version' },
  verifyTimeout: { flag: '--verify-timeout' },
  superuser: { flag: '--superuser' },
  lint: { flag: '--lint' },
};

const words = (word: (row: (typeof SETTINGS)[Setting]) => string): SettingWords =>
  Object.fromEntries(Object.entries(SETTINGS).map(([setting, row]) => [setting, word(row)]));

/** How the CLI names the settings: `--lock-wait`. */
export const CLI_WORDS: SettingWords = words((row) => row.flag);

/** How the action names the settings: `the lock-wait input`. */
export const ACTION_WORDS: SettingWords = words((row) => `the ${row.input ?? row.flag.slice(2)} input`);
