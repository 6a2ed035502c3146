import type { Command } from './args.js';
import type { CommandModule } from './command.js';

/**
 * Each command's module, loaded when the command runs: a no-op `migrate`
 * never loads the lint's rules, the SQL parser or the scratch server's code,
 * and `lint` never loads the driver. (In the ncc bundle each import() is a
 * chunk of its own beside index.js.) Adding a command is its module and one
 * line here.
 */
export const COMMANDS: { readonly [C in Command]: () => Promise<CommandModule> } = {
  status: () => import('./command-status.js'),
  plan: () => import('./command-plan.js'),
  migrate: () => import('./command-migrate.js'),
  rollback: () => import('./command-migrate.js'),
  create: () => import('./command-create.js'),
  validate: () => import('./command-validate.js'),
  verify: () => import('./command-verify.js'),
  lint: () => import('./command-lint.js'),
  repair: () => import('./command-repair.js'),
  wait: () => import('./command-wait.js'),
  drift: () => import('./command-drift.js'),
};
