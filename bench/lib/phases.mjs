// The two passes over the contenders: an untimed one through the counting
// proxy (which also proves each tool works here), then the timed rounds.
import { join } from 'node:path';
import { failureReason, runTimed } from './measure.mjs';
import { viaHostPort } from './server.mjs';
import { rotate } from './stats.mjs';

const log = (text) => process.stderr.write(`${text}\n`);
const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** Tables the migrations made: each of the N creates one. */
async function verifyApplied(b, database, n) {
  const [{ count }] = await b.server.query(database, `SELECT count(*)::int AS count FROM pg_class WHERE relkind = 'r' AND relname LIKE 'bench\\_%'`);
  return count === n ? undefined : `ran without error but made ${count} of the ${n} tables`;
}

const ctx = (b, tool, n, url) => ({ url, dir: b.dirs[n][tool.format], cwd: b.cwd(tool.id) });

/** Runs one command timed; records the sample or the row's failure. Returns the result when it counted. */
async function timed(b, key, index, command, check) {
  if (b.samples.failed(key)) return undefined;
  const result = await runTimed(command);
  let problem = result.code === 0 ? undefined : failureReason(result);
  if (problem === undefined && check) problem = await check(result);
  if (problem !== undefined) {
    b.samples.fail(key, problem);
    log(`  ${key}: FAILED ${problem}`);
    return undefined;
  }
  b.samples.add(key, index, result.ms);
  log(`  ${key.padEnd(34)} ${fmt(result.ms)}`);
  return result;
}

/** A row that cannot run at all: every scenario of the tool gets the reason. */
export function failTool(b, tool, reason) {
  for (const key of b.rowKeys()) if (key.endsWith(`|${tool.id}`)) b.samples.fail(key, reason);
  b.tools = b.tools.filter((t) => t !== tool);
}

/**
 * Untimed: each tool once per N through the proxy (apply, then the no-op),
 * the action on pgshift's smallest-N database, and pgshift status.
 */
export async function countPass(b, proxy) {
  const proxied = (url) => viaHostPort(url, '127.0.0.1', proxy.port);
  const through = async (command) => {
    proxy.reset();
    const result = await runTimed(command);
    await proxy.idle();
    return { result, counts: proxy.snapshot() };
  };
  const nmin = b.settings.n[0];
  for (const n of b.settings.n) {
    for (const tool of [...b.tools]) {
      const db = await b.server.create();
      try {
        const applied = await through(tool.apply(ctx(b, tool, n, proxied(db.url))));
        const problem = applied.result.code !== 0 ? failureReason(applied.result) : await verifyApplied(b, db.name, n);
        if (problem) {
          log(`  ${tool.id} N=${n}: FAILED ${problem}`);
          failTool(b, tool, `failed its first (untimed) run at N=${n}: ${problem}`);
          continue;
        }
        const entry = { apply: applied.counts };
        if (tool.noop) {
          const noop = await through(tool.noop(ctx(b, tool, n, proxied(db.url))));
          if (noop.result.code === 0) entry.noop = noop.counts;
          else b.samples.fail(`noop:${n}|${tool.id}`, failureReason(noop.result));
        }
        (b.counts[tool.id] ??= {})[n] = entry;
        log(`  counted ${tool.id} N=${n}: ${applied.counts.roundTrips} round trips, ${applied.counts.statements} statements`);
        if (tool.id === 'pgshift' && n === nmin && b.action) {
          await b.action.reset();
          const run = await through(b.action.command({ url: proxied(db.url), dir: b.dirs[n].pgshift, cwd: b.cwd('action') }));
          b.actionInfo = { ...(await b.action.lastRun()), stdout: run.result.stdout.trim().split('\n').slice(-5) };
          if (run.result.code === 0) b.counts.action = run.counts;
          else b.samples.fail('action|action', failureReason(run.result));
        }
      } finally {
        await b.server.drop(db.name);
      }
    }
  }
  const pgshift = b.tools.find((t) => t.id === 'pgshift');
  if (pgshift) {
    const status = await through(pgshift.status({ url: proxied(b.statusDb.url), dir: b.statusDir, cwd: b.cwd('pgshift') }));
    if (status.result.code === 0) b.counts.status = status.counts;
  }
}

/** One round: every N (apply into fresh databases, then the no-ops), status, start-up; each list rotated by the round. */
export async function timedRound(b, r) {
  const nmin = b.settings.n[0];
  for (const n of b.settings.n) {
    log(`round ${r + 1}/${b.settings.rounds}, N=${n}`);
    const dbs = new Map();
    try {
      // Untimed warm-up applies: on this machine the first few database-creating
      // runs after the previous phase dropped its databases are several hundred
      // ms slower, whichever tool comes first. Their databases are dropped with
      // the others, at the end of the phase.
      const warmer = b.tools.find((t) => t.id === 'node-pg');
      for (let k = 0; warmer && k < b.settings.warmups; k++) {
        const db = await b.server.create();
        dbs.set(`warm-up ${k}`, { db, ok: false });
        await b.server.checkpoint();
        await runTimed(warmer.apply(ctx(b, warmer, b.settings.n[0], db.url)));
      }
      for (const tool of rotate(b.tools, r)) {
        const key = `apply:${n}|${tool.id}`;
        if (b.samples.failed(key)) continue;
        const db = await b.server.create();
        dbs.set(tool.id, { db, ok: false });
        await b.server.checkpoint();
        const ok = await timed(b, key, r, tool.apply(ctx(b, tool, n, db.url)), () => verifyApplied(b, db.name, n));
        if (ok) dbs.get(tool.id).ok = true;
      }
      const noops = b.tools
        .filter((tool) => tool.noop && dbs.get(tool.id)?.ok)
        .map((tool) => ({ key: `noop:${n}|${tool.id}`, command: tool.noop(ctx(b, tool, n, dbs.get(tool.id).db.url)) }));
      if (n === nmin && b.action && dbs.get('pgshift')?.ok) {
        const url = dbs.get('pgshift').db.url;
        noops.push({ key: 'action|action', command: b.action.command({ url, dir: b.dirs[n].pgshift, cwd: b.cwd('action') }), before: () => b.action.reset() });
      }
      for (const entry of rotate(noops, r)) {
        await entry.before?.();
        await timed(b, entry.key, r, entry.command);
      }
    } finally {
      for (const { db } of dbs.values()) await b.server.drop(db.name);
    }
  }

  const pgshift = b.tools.find((t) => t.id === 'pgshift');
  const floor = b.tools.find((t) => t.id === 'node-pg');
  const statusRuns = [
    pgshift && { key: 'status|pgshift', command: pgshift.status({ url: b.statusDb.url, dir: b.statusDir, cwd: b.cwd('pgshift') }) },
    floor && { key: 'status|node-pg', command: floor.noop({ url: b.statusDb.url, dir: b.statusDir, cwd: b.cwd('node-pg') }) },
  ].filter(Boolean);
  for (const entry of rotate(statusRuns, r)) await timed(b, entry.key, r, entry.command);

  const starters = b.tools.filter((t) => t.startup);
  for (let rep = 0; rep < b.settings.startupReps; rep++) {
    const index = r * b.settings.startupReps + rep;
    for (const tool of rotate(starters, index)) await timed(b, `startup|${tool.id}`, index, tool.startup());
  }
}

export const cwdFor = (work) => (id) => join(work, 'cwd', id);
