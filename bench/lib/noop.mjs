// The start-up scenario alone (--noop-only): the no-op `pgshift migrate`
// (everything applied) against the Node + pg floor's no-op on the same
// files, `pgshift lint` of one file and `pgshift --version` against
// `node -e ""`; many runs, each pair back to back in a rotated order, the
// ratio taken within the pair. A quick check of what start-up costs, without
// the whole benchmark's apply rows and peers.
import os from 'node:os';
import { join } from 'node:path';
import { writeMigrations } from './migrations.mjs';
import { failureReason, runTimed } from './measure.mjs';
import { median, rotate } from './stats.mjs';
import { makeTools } from './tools.mjs';

const ms = (v) => (v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
const x = (v) => (v === undefined ? 'n/a' : `${v.toFixed(2)}×`);

/** Runs each pair `reps` times; returns { rows: [{ label, a, b, ratios }], load }. */
export async function runNoopScenario({ work, server, ns, reps, repoRoot, log }) {
  const tools = makeTools(repoRoot);
  const pgshift = tools.find((t) => t.id === 'pgshift');
  const floor = tools.find((t) => t.id === 'node-pg');
  const problem = pgshift.unavailable ?? floor.unavailable;
  if (problem) throw new Error(problem);
  const pairs = [];
  const made = [];
  try {
    for (const n of ns) {
      const dir = join(work, `n${n}`, 'pgshift');
      await writeMigrations('pgshift', dir, n);
      const [mine, theirs] = [await server.create(), await server.create()];
      made.push(mine.name, theirs.name);
      await must(pgshift.apply({ url: mine.url, dir, cwd: work }), `pgshift migrate of ${n} files`);
      await must(floor.apply({ url: theirs.url, dir, cwd: work }), `the floor's apply of ${n} files`);
      pairs.push({
        label: `no-op \`migrate\`, N = ${n}, against the Node + pg floor's no-op`,
        a: pgshift.noop({ url: mine.url, dir, cwd: work }),
        b: floor.noop({ url: theirs.url, dir, cwd: work }),
      });
    }
    const one = join(work, `n${ns[0]}`, 'pgshift', '00001_create_bench_00001.sql');
    const bare = floor.startup();
    pairs.push({ label: '`pgshift lint <one file>` against `node -e ""`', a: { ...pgshift.startup(), args: [pgshift.startup().args[0], 'lint', one] }, b: bare });
    pairs.push({ label: '`pgshift --version` against `node -e ""`', a: pgshift.startup(), b: bare });
    for (const p of pairs) p.samples = { a: [], b: [], ratios: [] };

    const load = [os.loadavg()[0]];
    for (let r = 0; r < reps; r++) {
      for (const p of pairs) {
        const order = rotate(['a', 'b'], r);
        const got = {};
        for (const side of order) got[side] = await must({ ...p[side], cwd: p[side].cwd ?? work }, p.label);
        p.samples.a.push(got.a);
        p.samples.b.push(got.b);
        p.samples.ratios.push(got.a / got.b);
      }
      if ((r + 1) % 10 === 0) {
        load.push(os.loadavg()[0]);
        log(`bench: no-op round ${r + 1}/${reps}`);
      }
    }
    return { reps, load, rows: pairs.map((p) => ({ label: p.label, a: median(p.samples.a), b: median(p.samples.b), ratio: median(p.samples.ratios), ratios: p.samples.ratios })) };
  } finally {
    for (const name of made) await server.drop(name);
  }
}

async function must(command, what) {
  const result = await runTimed(command);
  if (result.code !== 0) throw new Error(`${what} failed: ${failureReason(result)}`);
  return result.ms;
}

/** The section for results.md (or the terminal). */
export function renderNoop(result, { node, date }) {
  const rows = result.rows.map((r) => {
    const sorted = [...r.ratios].sort((a, b) => a - b);
    const range = `${x(sorted[Math.floor(sorted.length * 0.25)])}–${x(sorted[Math.floor(sorted.length * 0.75)])}`;
    return `| ${r.label} | ${ms(r.a)} | ${ms(r.b)} | ${x(r.ratio)} | ${range} |`;
  });
  const load = `${Math.min(...result.load).toFixed(2)}–${Math.max(...result.load).toFixed(2)}`;
  return [
    '## start-up (`--noop-only`)',
    '',
    `${date}, Node ${node}, ${os.cpus().length} cores, ${result.reps} runs of each pair, the two sides back to back in alternating order; medians; the ratio is the median of the per-pair ratios (with its interquartile range). Load average (1 min) during the run: ${load}.`,
    '',
    '| what | pgshift | floor | ratio | middle half of ratios |',
    '|---|--:|--:|--:|--:|',
    ...rows,
    '',
  ].join('\n');
}
