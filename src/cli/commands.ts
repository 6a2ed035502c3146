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
  status: () => import('./commands/status.js'),
  plan: () => import('./commands/plan.js'),
  migrate: () => import('./commands/migrate.js'),
  rollback: () => import('./commands/migrate.js'),
  create: () => import('./commands/create.js'),
  validate: () => import('./commands/validate.js'),
  verify: () => import('./commands/verify.js'),
  lint: () => import('./commands/lint.js'),
  repair: () => import('./commands/repair.js'),
  wait: () => import('./commands/wait.js'),
  drift: () => import('./commands/drift.js'),
};
