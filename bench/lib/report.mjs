// The results: table, targets and message counts, as markdown.
import { pgshiftFile } from './migrations.mjs';

const ms = (v) => (v === undefined ? '—' : v < 100 ? v.toFixed(1) : v.toFixed(0));
const times = (r) => (r === undefined ? '—' : `${r.median.toFixed(2)}×`);
const mark = (ok) => (ok === undefined ? '⚪ n/a' : ok ? '✅ met' : '❌ missed');

function scenarios(b) {
  const nmin = b.settings.n[0];
  const list = [];
  for (const n of b.settings.n) list.push({ id: `apply:${n}`, title: `apply N=${n}`, node: `apply:${n}|node-pg`, psql: `apply:${n}|psql` });
  for (const n of b.settings.n) list.push({ id: `noop:${n}`, title: `no-op N=${n}`, node: `noop:${n}|node-pg` });
  list.push({ id: 'status', title: `status, ${b.settings.statusFiles} files`, node: 'status|node-pg' });
  list.push({ id: 'action', title: `action, PR, nothing pending`, node: `noop:${nmin}|node-pg` });
  list.push({ id: 'startup', title: 'start-up', node: 'startup|node-pg' });
  return list;
}

function resultsTable(b) {
  const lines = [
    '| scenario | tool | median ms | min–max ms | × Node+pg floor | × psql floor | runs |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of scenarios(b)) {
    for (const [key, row] of b.rows) {
      if (row.scenario !== s.id) continue;
      const sum = b.samples.summary(key);
      const failure = b.samples.failures.get(key);
      if (!sum) {
        lines.push(`| ${s.title} | ${row.label} | not run: ${escape(failure ?? 'no samples')} | | | | 0 |`);
        continue;
      }
      const node = b.samples.ratio(key, s.node);
      const psql = s.psql ? b.samples.ratio(key, s.psql) : undefined;
      const note = failure ? ` (then failed: ${escape(failure)})` : '';
      lines.push(`| ${s.title} | ${row.label}${note} | ${ms(sum.median)} | ${ms(sum.min)}–${ms(sum.max)} | ${times(node)} | ${times(psql)} | ${sum.n} |`);
    }
  }
  return lines.join('\n');
}

const escape = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Per-migration slope of a count between the smallest and largest N (or count / N with one N). */
function slope(b, id, pick) {
  const c = b.counts[id];
  const [lo, hi] = [b.settings.n[0], b.settings.n.at(-1)];
  if (!c?.[lo]?.apply || !c?.[hi]?.apply) return undefined;
  if (lo === hi) return { per: pick(c[lo].apply) / lo, fixed: 0 };
  const per = (pick(c[hi].apply) - pick(c[lo].apply)) / (hi - lo);
  return { per, fixed: pick(c[lo].apply) - per * lo };
}

const num = (v) => (v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2));

function countsTable(b) {
  const types = ['Q', 'P', 'B', 'D', 'E', 'S', 'H', 'C', 'F'];
  const nmax = b.settings.n.at(-1);
  const lines = [
    `| tool | round trips / migration | statements / migration | messages / migration | fixed round trips per run | connections per run | no-op N=${nmax}: round trips, statements, connections |`,
    '| --- | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  for (const tool of b.allTools) {
    const rt = slope(b, tool.id, (c) => c.roundTrips);
    if (!rt) {
      lines.push(`| ${tool.label} | — | — | not counted | — | — | — |`);
      continue;
    }
    const st = slope(b, tool.id, (c) => c.statements);
    const mix = types
      .map((t) => [t, slope(b, tool.id, (c) => c.frontend[t] ?? 0).per])
      .filter(([, v]) => Math.abs(v) > 0.005)
      .map(([t, v]) => `${t} ${num(Math.round(v * 100) / 100)}`)
      .join(', ');
    const conns = b.counts[tool.id][nmax].apply.connections;
    const noop = b.counts[tool.id][nmax].noop;
    const noopText = noop ? `${noop.roundTrips}, ${noop.statements}, ${noop.connections}` : '—';
    const enc = b.counts[tool.id][nmax].apply.encrypted ? ' (some traffic encrypted: undercounted)' : '';
    lines.push(`| ${tool.label}${enc} | ${num(round2(rt.per))} | ${num(round2(st.per))} | ${mix} | ${num(round2(rt.fixed))} | ${conns} | ${noopText} |`);
  }
  for (const [id, label] of [['status', `pgshift status, ${b.settings.statusFiles} files`], ['action', 'action bundle, PR, nothing pending']]) {
    const c = b.counts[id];
    if (c) lines.push(`| ${label} | — | — | ${Object.entries(c.frontend).map(([t, v]) => `${t} ${v}`).join(', ')} | ${c.roundTrips} | ${c.connections} | (${c.statements} statements) |`);
  }
  return lines.join('\n');
}

const round2 = (v) => Math.round(v * 100) / 100;

/** Each target with its verdict and the numbers behind it. */
export function targets(b) {
  const s = b.samples;
  const [nmin, nmax] = [b.settings.n[0], b.settings.n.at(-1)];
  const out = [];
  const peers = b.allTools.filter((t) => t.role === 'peer');
  for (const n of b.settings.n) {
    const floor = s.ratio(`apply:${n}|pgshift`, `apply:${n}|node-pg`);
    out.push({ ok: floor && floor.median <= 1.1, text: `apply N=${n}: pgshift within 1.10× of the Node + pg floor: ${times(floor)} (per-round range ${range(floor)})` });
    const against = peers.map((p) => ({ p, r: s.ratio(`apply:${n}|pgshift`, `apply:${n}|${p.id}`) }));
    const measured = against.filter((a) => a.r);
    const slowest = measured.filter((a) => a.r.median >= 1);
    const detail = against.map((a) => `${a.p.label} ${a.r ? times(a.r) : 'not measured'}`).join('; ');
    out.push({
      ok: measured.length === 0 ? undefined : slowest.length === 0,
      text: `apply N=${n}: pgshift faster than every peer (pgshift ÷ peer, paired): ${detail}${measured.length < against.length ? ' (unmeasured peers not judged)' : ''}`,
    });
  }
  const noopFloor = s.ratio(`noop:${nmax}|pgshift`, `noop:${nmax}|node-pg`);
  out.push({ ok: noopFloor && noopFloor.median <= 1.2, text: `no-op N=${nmax}: within 1.2× of the Node + pg floor's no-op: ${times(noopFloor)} (range ${range(noopFloor)})` });
  for (const id of ['node-pg-migrate', 'node-pg-migrate-tx', 'postgrator']) {
    const tool = b.allTools.find((t) => t.id === id);
    const r = s.ratio(`noop:${nmax}|pgshift`, `noop:${nmax}|${id}`);
    out.push({ ok: r && r.median <= 0.4, text: `no-op N=${nmax}: at most 40 % of ${tool?.label ?? id}'s: ${r ? `${(r.median * 100).toFixed(0)} %` : 'not measured'}` });
  }
  const status = s.ratio('status|pgshift', `noop:${nmin}|pgshift`);
  out.push({ ok: status && status.median < 1.5, text: `status over ${b.settings.statusFiles} files under 1.5× pgshift's no-op at N=${nmin}: ${times(status)} (range ${range(status)})` });
  const rt = slope(b, 'pgshift', (c) => c.roundTrips);
  out.push({ ok: rt && Math.abs(rt.per - 1) < 0.01, text: `one round trip per transactional migration: pgshift makes ${rt ? num(round2(rt.per)) : '—'} per migration (proxy count)` });
  return out;
}

/** The outputs in a GITHUB_OUTPUT file (`name=value` or `name<<delimiter` … `delimiter`). */
export function parseOutputs(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      while (i + 1 < lines.length && lines[i + 1] !== heredoc[2]) value.push(lines[++i]);
      i++;
      outputs[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      outputs[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return outputs;
}

function describeOutputs(text) {
  const outputs = parseOutputs(text);
  const names = Object.keys(outputs);
  if (names.length === 0) return 'no outputs';
  const short = (v) => (v.length <= 40 ? `=${v}` : '');
  return `outputs ${names.map((n) => `\`${n}${short(outputs[n])}\``).join(', ')}`;
}

/** Fixed and per-migration time from the apply medians at the smallest and largest N. */
function derivedTable(b) {
  const [lo, hi] = [b.settings.n[0], b.settings.n.at(-1)];
  if (lo === hi) return '';
  const lines = [
    `| tool | fixed ms per run | ms per migration | no-op N=${hi} − no-op N=${lo}, ms |`,
    '| --- | ---: | ---: | ---: |',
  ];
  for (const tool of b.allTools) {
    const a = b.samples.summary(`apply:${lo}|${tool.id}`);
    const z = b.samples.summary(`apply:${hi}|${tool.id}`);
    if (!a || !z) continue;
    const per = (z.median - a.median) / (hi - lo);
    const n0 = b.samples.summary(`noop:${lo}|${tool.id}`);
    const n1 = b.samples.summary(`noop:${hi}|${tool.id}`);
    lines.push(`| ${tool.label} | ${ms(a.median - per * lo)} | ${per.toFixed(2)} | ${n0 && n1 ? ms(n1.median - n0.median) : '—'} |`);
  }
  return `From the medians above (a straight line through apply N=${lo} and N=${hi}; noisy, for orientation only):\n\n${lines.join('\n')}\n`;
}

const range = (r) => (r ? `${r.min.toFixed(2)}–${r.max.toFixed(2)}` : '—');

/** Returns { markdown (the whole results.md), terminal (what is printed) }. */
export function renderMarkdown(b, facts, elapsedSeconds, statusHow) {
  const { settings } = b;
  const table = resultsTable(b);
  const goals = targets(b)
    .map((t) => `- ${mark(t.ok)}: ${t.text}`)
    .join('\n');
  const counts = countsTable(b);
  const derived = derivedTable(b);
  const modes = b.allTools.map((t) => `- **${t.label}**: ${t.mode}.${t.unavailable ? ` Not run: ${t.unavailable}.` : ''}`).join('\n');
  const failures = [...b.samples.failures].map(([key, reason]) => `- \`${key}\`: ${reason}`).join('\n') || '- none';
  const action = b.actionInfo
    ? `The action's untimed run made ${b.actionInfo.apiCalls.length} GitHub API call(s)${b.actionInfo.apiCalls.length ? ` (${b.actionInfo.apiCalls.join(', ')})` : ''}, wrote ${describeOutputs(b.actionInfo.outputs)} and a ${b.actionInfo.summaryBytes}-byte step summary.`
    : b.samples.summary('action|action')
      ? 'The action was not run through the counting proxy (--no-counts), so its API calls and outputs were not looked at.'
      : `The action row was not run: ${b.samples.failures.get('action|action') ?? 'no samples'}.`;

  const terminal = `## Results\n\n${table}\n\n${derived}\n## Targets\n\n${goals}\n\n## Messages per migration (counting proxy)\n\n${counts}\n`;
  const markdown = `# pgshift benchmark

Written by \`npm run bench\` (\`bench/run.mjs\`${settings.quick ? ' --quick' : ''}) on ${facts.date}, in ${elapsedSeconds.toFixed(0)} s. Regenerate it with \`npm run bench\`; \`node bench/run.mjs --help\` lists the settings.

## Machine and versions

- CPU: ${facts.cpu}; memory ${facts.memory}; ${facts.os}; load average at start ${facts.loadavg} (the machine was shared)
- Node ${facts.node}; ${facts.server}: fsync ${facts.serverSettings.fsync}, synchronous_commit ${facts.serverSettings.synchronous_commit}, wal_level ${facts.serverSettings.wal_level}, shared_buffers ${facts.serverSettings.shared_buffers}, ssl ${facts.serverSettings.ssl}; ${facts.psql}
- pgshift ${facts.pgshift} (commit ${facts.commit}, built CLI bundle \`dist/cli/index.js\`)
- pg ${facts.pg} (Node + pg floor); node-pg-migrate ${facts.nodePgMigrate}; postgrator-cli ${facts.postgratorCli} (postgrator ${facts.postgrator}); ${facts.dbmate} (the Go binary from \`@dbmate/${process.platform}-${process.arch}\`, run directly, without the npm package's Node wrapper)

## Settings

- N = ${settings.n.join(' and ')}; ${b.roundsDone ?? settings.rounds} rounds${b.stoppedEarly ? ` (${b.stoppedEarly})` : ''}. In each round, for each N, every tool applies all N migrations to its own freshly created empty database (creation and dropping not timed), then every tool's no-op run goes against the database it just migrated; then status, then start-up (${settings.startupReps} samples per round). The order of the tools rotates from round to round.
- Each apply phase starts with ${settings.warmups} untimed warm-up applies (the Node + pg floor, N = ${settings.n[0]}): the first few database-creating runs after a phase has dropped its databases came out several hundred ms slower here, whichever tool ran first.
- Before each timed apply run the server is checkpointed (untimed${b.server.checkpoints === false ? '; not allowed for this user, so skipped' : ''}), so that no run pays for flushing another's writes. ${settings.asyncCommit ? '**synchronous_commit = off on every benchmark database (--async-commit): commits do not wait for the disk.**' : 'Server settings as they are: every commit waits for its WAL flush.'}
- Timed: spawn to exit of the child process, \`process.hrtime.bigint()\`, output drained through pipes; connections go straight to the server (the proxy is used only for the untimed counting run).
- Ratios are paired: each round's time divided by the floor's time in the same round; the table shows the median of those per-round ratios.
- status: \`pgshift status\` over ${settings.statusFiles} files, all applied (${statusHow ?? 'not prepared'}); the Node + pg floor's row there is its no-op over the same files and table.
- Each migration (i = 1…N), the same SQL for every tool, in each tool's file format:

\`\`\`sql
${pgshiftFile(1).trim()}
\`\`\`

## Results

${table}

${derived}
## Targets

${goals}

## Messages per migration (counting proxy)

Each tool ran once per N through a TCP proxy that parses the protocol: frontend messages by type (Q simple query; P parse, B bind, D describe, E execute, S sync), round trips (Q and S, each waits for ReadyForQuery) and statements (the server's CommandComplete messages). Per migration is the slope between N = ${settings.n[0]} and N = ${settings.n.at(-1)}, so fixed costs (connecting, reading the tracking table, locking) are in "fixed round trips per run".

${counts}

${action}

## Modes

${modes}

## Rows that failed or were skipped

${failures}
`;
  return { markdown, terminal };
}
