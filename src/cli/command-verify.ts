import { verifyJson } from '../frontend/json.js';
import { defaultBase, verifyOptions } from '../frontend/verify.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatVerify } from './verify-output.js';
import { inputFailure } from './words.js';

export async function run({ options, migrator, p, env }: CommandContext): Promise<number> {
  const given = options.verify ?? {};
  // Named by the branch it was found from: a local main, when there is no origin, says so.
  const base =
    given.base !== undefined
      ? { commit: given.base, name: given.base }
      : await defaultBase().then((found) => ({
          commit: found.commit,
          name: `the merge base with ${found.ref} (${found.commit.slice(0, 12)})`,
        }));
  const report = await migrator.verify(verifyOptions(given, { base, dir: options.settings.dir, env }));
  showWith(options, p)(
    () => verifyJson(report, CLI_WORDS),
    () => formatVerify(report, p.style),
  );
  return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
}
