import type { SettingWords } from '../index.js';

/** How the action names the settings the engine's hints speak of: by its inputs. */
export const ACTION_WORDS: SettingWords = {
  connection: 'the connection input',
  dir: 'the dir input',
  table: 'the table input',
  strictOrder: 'the strict-order input',
  lockWait: 'the lock-wait input',
  lockTimeout: 'the lock-timeout input',
  statementTimeout: 'the statement-timeout input',
  base: 'the base input',
  scratchUrl: 'the scratch-url input',
  postgresBin: 'the postgres-bin input',
  postgresVersion: 'the postgres-version input',
  verifyTimeout: 'the verify-timeout input',
  superuser: 'the superuser input',
  lint: 'the lint input',
};
