/**
 * A fleet run: the targets dealt into waves, each wave run with its
 * parallelism under a per-server cap, stopped by its stop rule, baked and
 * health-checked before the next; every target's outcome in the ledger as
 * it happens. A target's failure never stops the targets already running.
 */
import type { FleetEvent } from '../core/fleet.js';
import type { LedgerWriter } from './ledger.js';
import { checkHealth } from './health.js';
import { runTarget, type TargetRequest, type TargetSettings } from './target-run.js';
import type { Target } from './targets.js';
import type { Wave } from './waves.js';
import { withPool } from '../postgres/session-pool.js';

export interface RunWavesOptions {
  readonly waves: readonly Wave<Target>[];
  readonly request: TargetRequest;
  readonly settings: TargetSettings;
  /** Targets at once, for waves that do not say. */
  readonly concurrency: number;
  /** Targets at once on one server (each holds up to two of the run's pooled connections while it runs). */
  readonly perServer: number;
  readonly ledger: LedgerWriter;
  /** Ids already done (a resumed run): skipped, their records kept. */
  readonly skip: ReadonlySet<string>;
  /** The environment a health command runs with. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onEvent?: (event: FleetEvent) => void;
}

/** Runs the waves; the ledger holds the outcome. Returns why the run stopped early, if it did. */
export async function runWaves(options: RunWavesOptions): Promise<string | undefined> {
  // One pool for the run: the targets on a server share its sessions (keyed by connection and settings),
  // never holding more than the targets running at once would (two each).
  const servers = new Set(options.waves.flatMap((w) => w.targets.map((t) => t.server))).size;
  const parallel = Math.max(options.concurrency, ...options.waves.map((w) => w.concurrency ?? 0));
  return withPool(options.settings, (settings) => runWavesWith({ ...options, settings }), {
    maxSessions: 2 * Math.min(parallel, options.perServer * servers),
  });
}

async function runWavesWith(options: RunWavesOptions): Promise<string | undefined> {
  const { ledger, onEvent } = options;
  const total = options.waves.reduce((n, w) => n + w.targets.length, 0);
  const counts = { done: options.skip.size, failed: 0, running: 0, total };
  const servers = new Map<string, number>();
  let stopped: string | undefined;
  for (const [index, wave] of options.waves.entries()) {
    const todo = wave.targets.filter((t) => !options.skip.has(t.id));
    if (stopped !== undefined) {
      for (const t of todo) ledger.set({ id: t.id, wave: wave.name, status: 'not-started', reason: stopped });
      continue;
    }
    onEvent?.({ type: 'wave-start', wave: wave.name, targets: todo.length });
    let failures = 0;
    const queue = [...todo];
    const waiters: (() => void)[] = [];
    const take = (): Target | undefined => {
      const i = queue.findIndex((t) => (servers.get(t.server) ?? 0) < options.perServer);
      return i < 0 ? undefined : queue.splice(i, 1)[0];
    };
    const worker = async (): Promise<void> => {
      while (queue.length > 0 && failures < wave.maxFailures) {
        const target = take();
        if (target === undefined) {
          // Every queued target's server is at its cap: wait for a target to finish.
          await new Promise<void>((resolve) => waiters.push(resolve));
          continue;
        }
        servers.set(target.server, (servers.get(target.server) ?? 0) + 1);
        counts.running++;
        ledger.set({ id: target.id, wave: wave.name, status: 'running' });
        onEvent?.({ type: 'target-start', id: target.id, wave: wave.name });
        const record = await runTarget(target, wave.name, options.settings, options.request);
        servers.set(target.server, servers.get(target.server)! - 1);
        counts.running--;
        if (record.status === 'done') counts.done++;
        else {
          counts.failed++;
          failures++;
        }
        ledger.set(record);
        onEvent?.({ type: 'target-done', record, counts: { ...counts } });
        waiters.splice(0).forEach((wake) => wake());
      }
      waiters.splice(0).forEach((wake) => wake());
    };
    const parallel = Math.max(1, Math.min(wave.concurrency ?? options.concurrency, todo.length));
    await Promise.all(Array.from({ length: parallel }, worker));
    if (failures >= wave.maxFailures) {
      stopped = `wave "${wave.name}" reached its stop rule: ${failures} failed target${failures === 1 ? '' : 's'} (at most ${wave.maxFailures - 1} allowed)`;
      for (const t of queue) ledger.set({ id: t.id, wave: wave.name, status: 'not-started', reason: stopped });
      onEvent?.({ type: 'stopped', reason: stopped });
      continue;
    }
    const last = index === options.waves.length - 1;
    if (last) continue;
    if (wave.bakeSeconds > 0) {
      onEvent?.({ type: 'bake', wave: wave.name, seconds: wave.bakeSeconds });
      await new Promise((resolve) => setTimeout(resolve, wave.bakeSeconds * 1000));
    }
    if (wave.health !== undefined) {
      const health = await checkHealth(wave.health, wave, options.env ?? {});
      onEvent?.({ type: 'health', wave: wave.name, ok: health.ok, detail: health.detail });
      if (!health.ok) {
        stopped = `the health check after wave "${wave.name}" failed: ${health.detail}`;
        onEvent?.({ type: 'stopped', reason: stopped });
      }
    }
  }
  await ledger.flush();
  return stopped;
}
