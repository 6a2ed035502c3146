/**
 * The health check between waves. Text starting with SELECT or WITH is SQL,
 * run on each target of the wave (in its schema, read-only): it must not
 * fail, and when its first row's first column is a boolean, that must be
 * true. Anything else is a shell command, run once with the wave's name and
 * targets in PGSHIFT_FLEET_WAVE and PGSHIFT_FLEET_TARGETS: it must exit 0.
 */
import { spawn } from 'node:child_process';
import { openSession } from '../postgres/pg-client.js';
import type { Target } from './targets.js';
import { isSqlHealth, type Wave } from './waves.js';

/** How long a health check may take. */
const HEALTH_TIMEOUT_MS = 5 * 60_000;

export async function checkHealth(
  health: string,
  wave: Wave<Target>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ readonly ok: boolean; readonly detail: string }> {
  if (!isSqlHealth(health)) return command(health, wave, env);
  for (const target of wave.targets) {
    try {
      const session = await openSession(target.connection, {
        readOnly: true,
        statementTimeoutMs: 60_000,
        ...(target.schema !== undefined && { searchPath: target.schema }),
      });
      try {
        const { rows, fields } = await session.client.query<Record<string, unknown>>(health);
        const first = fields[0] && rows[0]?.[fields[0].name];
        if (first === false) return { ok: false, detail: `on target "${target.id}" the health query returned false` };
      } finally {
        await session.close();
      }
    } catch (error) {
      return { ok: false, detail: `on target "${target.id}": ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { ok: true, detail: `the health query passed on ${wave.targets.length} target${wave.targets.length === 1 ? '' : 's'}` };
}

function command(
  health: string,
  wave: Wave<Target>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ readonly ok: boolean; readonly detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(health, {
      shell: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: HEALTH_TIMEOUT_MS,
      env: { ...env, PGSHIFT_FLEET_WAVE: wave.name, PGSHIFT_FLEET_TARGETS: wave.targets.map((t) => t.id).join(',') },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-500)));
    child.on('error', (error) => resolve({ ok: false, detail: `the health command could not start: ${error.message}` }));
    child.on('close', (code, signal) =>
      resolve(
        code === 0
          ? { ok: true, detail: 'the health command exited 0' }
          : {
              ok: false,
              detail: `the health command exited ${code ?? signal}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`,
            },
      ),
    );
  });
}
