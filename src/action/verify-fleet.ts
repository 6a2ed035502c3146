/**
 * verify's fleet in the action: the targets from the config file (the base
 * commit's on a pull request), a targets file (read as the base has it) or a
 * query on the connection's database, their URLs from the environment.
 */
import { Fleet, type ConnectionInput, type FleetOptions, type Problem } from '../index.js';
import { ACTION_TARGETS, targetList, urlEnvsOf } from '../frontend/fleet-targets.js';
import type { CheckedConfig, LayeredSettings } from '../frontend/layers.js';
import { errorsOf, failAll, problem } from '../frontend/problems.js';
import { variableSecrets } from '../frontend/secrets.js';
import type { Base } from '../frontend/verify.js';
import type { ActionInputs } from './inputs.js';

type Env = Readonly<Record<string, string | undefined>>;

const LIST_HINT =
  'on a pull request the targets are read as the base commit has them, so that a pull request cannot choose what its own check connects to: add them on the base branch first';

/**
 * The Fleet verify looks at, and the passwords its targets' variables hold
 * (to be masked); none without the fleet, targets or targets-sql input. A
 * list that cannot be read fails the step before anything runs, naming it;
 * on a pull request (whose list is the base's) it is a warning instead, and
 * there is no fleet line.
 */
export async function verifyFleet(at: {
  readonly inputs: ActionInputs;
  readonly file: CheckedConfig | undefined;
  readonly settings: LayeredSettings['settings'];
  readonly env: Env;
  readonly connection: ConnectionInput | undefined;
  /** On a pull request, the base: the targets file is read as it has it. */
  readonly base: Base | undefined;
  readonly cwd: string;
}): Promise<{ readonly fleet?: Fleet; readonly secrets: readonly string[]; readonly warnings: readonly Problem[] }> {
  const given = at.inputs.fleet;
  if (given === undefined) return { secrets: [], warnings: [] };
  const { connection, env } = at;
  const query = typeof connection === 'string' ? (sql: string) => Fleet.targetsFromSql(connection, sql) : undefined;
  const config = { file: at.file?.file ?? 'pgshift.json', targets: at.file?.config.targets };
  const from = { ...given, ...(at.base !== undefined && { fileAt: { ref: at.base.commit, cwd: at.cwd } }) };
  const { list, problems } = await targetList(from, config, query, ACTION_TARGETS);
  if (errorsOf(problems).length > 0) {
    // On a pull request the list is the base's: one the pull request itself adds counts from the next one on, as the config file does.
    if (at.base === undefined) throw failAll(problems, `${problems.length} problems with the fleet's targets`);
    const said = `no fleet line: ${problems.map((p) => p.message).join('; ')}`;
    return { secrets: [], warnings: [problem('INVALID_OPTION', said, { severity: 'warning', hint: LIST_HINT })] };
  }
  const fleet = new Fleet({
    ...at.settings,
    targets: list as FleetOptions['targets'],
    targetsFrom: given.targetsFile ?? (given.targetsSql !== undefined ? 'the targets-sql input' : `${config.file}: targets`),
    env,
    ...(typeof connection === 'string' && { defaultConnection: connection }),
    ...(at.file?.config.fleet?.concurrency !== undefined && { concurrency: at.file.config.fleet.concurrency }),
  });
  return { fleet, secrets: variableSecrets(env, urlEnvsOf(list)), warnings: [] };
}
