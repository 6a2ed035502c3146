// The GitHub Action bundle (dist/index.js), run as the runner would on a
// pull_request event with nothing pending and INPUT_COMMENT=false.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { childEnv } from './tools.mjs';

const STUB_BYTES = 2048;

/** Undefined when the bundle can be run, else why not. */
export function actionUnavailable(repoRoot) {
  const bundle = join(repoRoot, 'dist/index.js');
  if (!existsSync(bundle)) return 'dist/index.js does not exist (the action is not built)';
  const size = statSync(bundle).size;
  if (size < STUB_BYTES) {
    return `dist/index.js is only a stub (${size} bytes: src/action/main.ts has no action in it yet)`;
  }
  return undefined;
}

/** The inputs' defaults from action.yml, as the runner would pass them (INPUT_<NAME>). */
function inputDefaults(repoRoot) {
  const path = ['action.yml', 'action.yaml'].map((f) => join(repoRoot, f)).find((p) => existsSync(p));
  if (!path) return {};
  try {
    const inputs = parseYaml(readFileSync(path, 'utf8'))?.inputs ?? {};
    const env = {};
    for (const [name, spec] of Object.entries(inputs)) {
      // An expression default (`${{ github.token }}`) is the runner's to evaluate; the stand-ins below cover those.
      if (spec && spec.default !== undefined && spec.default !== null && !String(spec.default).includes('${{')) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(spec.default);
    }
    return env;
  } catch {
    return {};
  }
}

/**
 * Sets up the event file, output files and a stand-in for the GitHub API on
 * 127.0.0.1 (answers 200 with an empty body; it should not be called with
 * INPUT_COMMENT=false, and the number of calls is reported). Returns
 * { command(ctx), lastRun(), close() }.
 */
export async function prepareAction(repoRoot, work) {
  await mkdir(work, { recursive: true });
  let requests = [];
  const api = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.method === 'GET' && /\/comments/.test(req.url ?? '') ? '[]' : '{}');
    });
  });
  await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${api.address().port}`;

  const eventPath = join(work, 'event.json');
  const outputPath = join(work, 'github_output');
  const summaryPath = join(work, 'step_summary.md');
  const sha = '0123456789abcdef0123456789abcdef01234567';
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        head: { sha, ref: 'feature' },
        base: { sha: 'fedcba9876543210fedcba9876543210fedcba98', ref: 'main' },
        html_url: 'https://github.invalid/pgshift-bench/app/pull/1',
      },
      repository: { name: 'app', full_name: 'pgshift-bench/app', owner: { login: 'pgshift-bench' } },
    }),
  );
  const defaults = inputDefaults(repoRoot);

  return {
    apiUrl,
    async reset() {
      requests = [];
      await writeFile(outputPath, '');
      await writeFile(summaryPath, '');
    },
    command(ctx) {
      return {
        cmd: process.execPath,
        args: [join(repoRoot, 'dist/index.js')],
        cwd: ctx.cwd,
        env: childEnv({
          ...defaults,
          INPUT_CONNECTION: ctx.url,
          INPUT_DIR: ctx.dir,
          ...(process.env.BENCH_ACTION_COMMAND ? { INPUT_COMMAND: process.env.BENCH_ACTION_COMMAND } : {}),
          INPUT_COMMENT: 'false',
          GITHUB_ACTIONS: 'true',
          CI: 'true',
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_OUTPUT: outputPath,
          GITHUB_STEP_SUMMARY: summaryPath,
          GITHUB_API_URL: apiUrl,
          GITHUB_SERVER_URL: 'https://github.invalid',
          GITHUB_REPOSITORY: 'pgshift-bench/app',
          GITHUB_REPOSITORY_OWNER: 'pgshift-bench',
          GITHUB_SHA: sha,
          GITHUB_REF: 'refs/pull/1/merge',
          GITHUB_WORKSPACE: ctx.cwd,
          GITHUB_TOKEN: 'bench-token',
          'INPUT_GITHUB-TOKEN': 'bench-token',
          RUNNER_TEMP: work,
        }),
      };
    },
    /** What the last run left behind: API calls, outputs, and the summary's size. */
    async lastRun() {
      const outputs = (await readFile(outputPath, 'utf8').catch(() => '')).trim();
      const summary = await readFile(summaryPath, 'utf8').catch(() => '');
      return { apiCalls: [...requests], outputs, summaryBytes: Buffer.byteLength(summary) };
    },
    close() {
      return new Promise((resolve) => api.close(() => resolve()));
    },
  };
}
