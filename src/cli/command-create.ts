import { createdJson } from '../frontend/json.js';
import { showWith, type CommandContext } from './command.js';

export async function run({ options, migrator, p }: CommandContext): Promise<number> {
  const created = await migrator.create(options.name ?? '');
  showWith(options, p)(
    () => createdJson(created),
    () => `Created ${created.path}`,
  );
  return 0;
}
