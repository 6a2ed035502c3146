// The whole run: server, generated files, counting pass, timed rounds, results.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionUnavailable, prepareAction } from './action.mjs';
import { writeMigrations } from './migrations.mjs';
import { countPass, cwdFor, failTool, timedRound } from './phases.mjs';
import { startProxy } from './proxy.mjs';
import { renderMarkdown } from './report.mjs';
import { openServer, redact } from './server.mjs';
import { collectFacts, generateAll, prepareStatusDatabase } from './setup.mjs';
import { Samples } from './stats.mjs';
import { makeTools } from './tools.mjs';
import { renderNoop, runNoopScenario } from './noop.mjs';
import { renderVerify, runVerifyScenario } from './verify.mjs';
import { renderFleet, runFleetScenario, withFleetSection } from './fleet.mjs';

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = dirname(benchDir);
const work = join(benchDir, '.work');
const log = (text) => process.stderr.write(`${text}\n`);

export async function main(settings) {
  const server = await openServer(settings.databaseUrl, repoRoot, { asyncCommit: settings.asyncCommit });
  let proxy;
  let action;
  const stopSignals = () => {
    log('\nbench: interrupted; dropping its databases…');
    Promise.resolve(server.close()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopSignals);
  process.once('SIGTERM', stopSignals);

  try {
    await server.dropStale();
    if (settings.fleetOnly) {
      const section = renderFleet(await fleetScenario(settings, server));
      process.stdout.write(`\n${section}\n`);
      const out = settings.out ?? join(benchDir, 'results.md');
      if (out !== '-') {
        const before = await readFile(out, 'utf8').catch(() => '# pgshift benchmark\n');
        await writeFile(out, withFleetSection(before, section));
        log(`bench: wrote the fleet section of ${relative(process.cwd(), out) || out}`);
      }
      return;
    }
    if (settings.verifyOnly) {
      const section = renderVerify(await runVerifyScenario({ repoRoot, work, server, rounds: settings.verifyRounds, log }));
      process.stdout.write(`\n${section}\n`);
      if (settings.out && settings.out !== '-') await writeFile(settings.out, section);
      return;
    }
    if (settings.noopOnly) {
      await rm(work, { recursive: true, force: true });
      const result = await runNoopScenario({ work, server, ns: settings.n, reps: settings.noopReps, repoRoot, log });
      const section = renderNoop(result, { node: process.versions.node, date: new Date().toISOString().slice(0, 10) });
      process.stdout.write(`\n${section}\n`);
      if (settings.out && settings.out !== '-') await writeFile(settings.out, section);
      return;
    }
    const started = process.hrtime.bigint();
    const allTools = makeTools(repoRoot);
    const b = {
      settings,
      server,
      repoRoot,
      allTools,
      tools: allTools.filter((t) => !settings.only || t.role !== 'peer' || settings.only.includes(t.id)),
      samples: new Samples(),
      rows: new Map(), // key → { scenario, id, label, mode }
      counts: {},
      cwd: cwdFor(work),
      rowKeys: () => [...b.rows.keys()],
    };
    const facts = await collectFacts(server, repoRoot);
    log(`bench: ${facts.server} at ${redact(server.url)}; N = ${settings.n.join(', ')}; ${settings.rounds} rounds${settings.quick ? ' (quick)' : ''}`);

    // Every row the results will show, with its tool's mode; the ones that cannot run keep their reason.
    const register = (scenario, id, label, mode) => b.rows.set(`${scenario}|${id}`, { scenario, id, label, mode });
    for (const n of settings.n) for (const t of b.tools) register(`apply:${n}`, t.id, t.label, t.mode);
    for (const n of settings.n) for (const t of b.tools.filter((t) => t.noop)) register(`noop:${n}`, t.id, t.label, t.mode);
    register('status', 'pgshift', `pgshift status`, `${settings.statusFiles} files, all applied`);
    register('status', 'node-pg', 'Node + pg floor', `its no-op over the same ${settings.statusFiles} files`);
    register('action', 'action', 'action bundle (dist/index.js)', `pull_request event, ${settings.n[0]} applied, nothing pending, INPUT_COMMENT=false`);
    for (const t of b.tools.filter((t) => t.startup)) register('startup', t.id, t.startupLabel, 'process start-up');
    for (const t of b.tools.filter((t) => t.unavailable)) failTool(b, t, t.unavailable);

    log('bench: generating migrations…');
    await rm(work, { recursive: true, force: true });
    for (const id of [...allTools.map((t) => t.id), 'action']) await mkdir(b.cwd(id), { recursive: true });
    b.dirs = await generateAll(work, settings.n, [...new Set(b.tools.map((t) => t.format))]);
    b.statusDir = join(work, 'status', 'pgshift');
    await writeMigrations('pgshift', b.statusDir, settings.statusFiles);

    const pgshift = b.tools.find((t) => t.id === 'pgshift');
    if (pgshift) {
      log(`bench: preparing the status database (${settings.statusFiles} applied)…`);
      b.statusDb = await prepareStatusDatabase(server, pgshift, b.statusDir, settings.statusFiles, b.cwd('pgshift'));
    } else {
      b.samples.fail('status|pgshift', 'pgshift is not part of this run');
    }

    b.actionReason = actionUnavailable(repoRoot);
    if (b.actionReason) {
      b.samples.fail('action|action', b.actionReason);
      log(`bench: skipping the action row: ${b.actionReason}`);
    } else {
      action = b.action = await prepareAction(repoRoot, join(work, 'action'));
    }

    if (settings.counts) {
      log('bench: counting messages through the proxy (untimed; also checks that each tool works)…');
      const u = new URL(server.url);
      proxy = await startProxy(u.hostname || '127.0.0.1', Number(u.port || 5432));
      await countPass(b, proxy);
      await proxy.close();
      proxy = undefined;
    }

    // Rounds, within the time budget: a round that would end past it is not started.
    const budgetSeconds = settings.budgetMinutes * 60;
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    b.roundsDone = 0;
    for (let r = 0; r < settings.rounds; r++) {
      const before = seconds();
      const perRound = b.roundsDone ? (before - b.firstRoundAt) / b.roundsDone : 0;
      if (r > 0 && before + perRound > budgetSeconds) {
        b.stoppedEarly = `stopped after ${r} of ${settings.rounds} rounds: another (about ${perRound.toFixed(0)} s) would have ended past the ${settings.budgetMinutes}-minute budget`;
        log(`bench: ${b.stoppedEarly}`);
        break;
      }
      b.firstRoundAt ??= before;
      await timedRound(b, r);
      b.roundsDone++;
      log(`bench: round ${r + 1} done at ${seconds().toFixed(0)} s`);
    }

    log('bench: the verify scenario…');
    const verify = renderVerify(await runVerifyScenario({ repoRoot, work, server, rounds: settings.verifyRounds, log }));
    if (settings.fleet) log('bench: the fleet scenario…');
    const fleet = settings.fleet ? `\n\n${renderFleet(await fleetScenario(settings, server))}` : '';
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const rendered = renderMarkdown(b, facts, elapsed, b.statusDb?.how);
    const markdown = `${rendered.markdown.trimEnd()}\n\n${verify}${fleet}`;
    const terminal = `${rendered.terminal}\n${verify}${fleet}`;
    process.stdout.write(`\n${terminal}\n`);
    const out = settings.out ?? join(benchDir, 'results.md');
    if (out !== '-') {
      await writeFile(out, markdown);
      log(`bench: wrote ${relative(process.cwd(), out) || out} (${elapsed.toFixed(0)} s)`);
    }
  } finally {
    await proxy?.close();
    await action?.close();
    await server.close();
  }
}

const fleetScenario = (settings, server) =>
  runFleetScenario({
    repoRoot,
    work,
    server,
    rounds: settings.fleetRounds,
    loopRounds: settings.fleetLoopRounds,
    concurrencies: settings.fleetConcurrency,
    databases: settings.fleetDatabases,
    schemas: settings.fleetSchemas,
    log,
  });
