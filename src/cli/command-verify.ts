import { Fleet, connectionFromEnv, type FleetOptions } from '../index.js';
import { targetList } from '../frontend/fleet-targets.js';
import { verifyJson } from '../frontend/json.js';
import { errorsOf, failAll } from '../frontend/problems.js';
import { defaultBase, verifyOptions } from '../frontend/verify.js';
import { CLI_WORDS } from '../frontend/words.js';
import type { VerifyFleetFlags } from './args.js';
import { showWith, type CommandContext, type Env } from './command.js';
import { formatVerify } from './verify-output.js';
import { inputFailure } from './words.js';

export async function run({ options, migrator, p, env }: CommandContext): Promise<number> {
  const given = options.verify ?? {};
  // The fleet's list is read before anything starts: a list that cannot be read is a usage error, not a finding.
  const fleet = options.fleet && (await fleetOf(options.fleet, options.settings, env, options.databaseUrl));
  // Named by the branch it was found from: a local main, when there is no origin, says so.
  const base =
    given.base !== undefined
      ? { commit: given.base, name: given.base }
      : await defaultBase().then((found) => ({
          commit: found.commit,
          name: `the merge base with ${found.ref} (${found.commit.slice(0, 12)})`,
        }));
  const report = await migrator.verify({ ...verifyOptions(given, { base, dir: options.settings.dir, env }), ...(fleet && { fleet }) });
  showWith(options, p)(
    () => verifyJson(report, CLI_WORDS),
    () => formatVerify(report, p.style),
  );
  return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
}

/** The fleet to look at: its targets from --targets, --targets-sql or the config file, their URLs from the environment. */
async function fleetOf(flags: VerifyFleetFlags, settings: CommandContext['options']['settings'], env: Env, url?: string) {
  const connection = url ?? connectionFromEnv(env);
  const query = typeof connection === 'string' ? (sql: string) => Fleet.targetsFromSql(connection, sql) : undefined;
  const { list, problems } = await targetList(flags, flags.config, query);
  if (errorsOf(problems).length > 0) throw failAll(problems, `${problems.length} problems with the fleet's targets; nothing was run`);
  return new Fleet({
    ...settings,
    targets: list as FleetOptions['targets'],
    targetsFrom: flags.targetsFile ?? (flags.targetsSql !== undefined ? '--targets-sql' : `${flags.config.file}: targets`),
    env,
    ...(typeof connection === 'string' && { defaultConnection: connection }),
    ...(flags.concurrency !== undefined && { concurrency: flags.concurrency }),
  });
}
