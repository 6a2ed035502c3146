import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACTION = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
export const REPOSITORY = 'acme/shop';

/** A workflow command the action printed (`::error file=a.sql,line=3::message`), decoded. */
export interface WorkflowCommand {
  readonly command: string;
  readonly properties: Record<string, string>;
  readonly message: string;
}

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  /** The raw GITHUB_OUTPUT file, to search for leaks in what the runner would read. */
  readonly outputFile: string;
  readonly summary: string;
  readonly commands: readonly WorkflowCommand[];
  /** stdout without the `::add-mask::` lines, which the runner consumes and never shows. */
  readonly log: string;
}

export interface GitHubEvent {
  readonly name: string;
  readonly payload: Record<string, unknown>;
}

const repository = { full_name: REPOSITORY, name: 'shop', owner: { login: 'acme' }, default_branch: 'main', private: false };

export function pullRequestEvent(number: number, headSha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'): GitHubEvent {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        state: 'open',
        title: 'Add orders',
        head: { ref: 'add-orders', sha: headSha, repo: { full_name: REPOSITORY } },
        base: { ref: 'main', sha: '0000000000000000000000000000000000000001', repo: { full_name: REPOSITORY } },
        html_url: `https://github.com/${REPOSITORY}/pull/${number}`,
      },
      repository,
      sender: { login: 'octocat', type: 'User' },
    },
  };
}

export function pushEvent(branch: string): GitHubEvent {
  return {
    name: 'push',
    payload: {
      ref: `refs/heads/${branch}`,
      before: '1111111111111111111111111111111111111111',
      after: '2222222222222222222222222222222222222222',
      created: false,
      deleted: false,
      forced: false,
      commits: [{ id: '2222222222222222222222222222222222222222', message: 'Merge pull request #7' }],
      repository: { ...repository, master_branch: 'main' },
      pusher: { name: 'octocat' },
      sender: { login: 'octocat', type: 'User' },
    },
  };
}

export function workflowDispatchEvent(inputs: Record<string, string>): GitHubEvent {
  return {
    name: 'workflow_dispatch',
    payload: {
      inputs,
      ref: 'refs/heads/main',
      repository,
      sender: { login: 'octocat', type: 'User' },
      workflow: '.github/workflows/rollback.yml',
    },
  };
}

/**
 * Runs the built dist/index.js as the runner does: inputs as INPUT_<NAME>
 * (upper case, dashes kept), the event payload in a file, empty output and
 * summary files, and only the given environment.
 */
export async function runAction(options: {
  readonly workspace: string;
  readonly inputs: Record<string, string>;
  readonly event: GitHubEvent;
  readonly env?: Record<string, string>;
}): Promise<ActionRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'pgshift-runner-'));
  const eventPath = join(scratch, 'event.json');
  const outputPath = join(scratch, 'output');
  const summaryPath = join(scratch, 'summary');
  await writeFile(eventPath, JSON.stringify(options.event.payload));
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SHA: '2222222222222222222222222222222222222222',
    ...inputs,
    ...options.env,
  };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION], { env, cwd: options.workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const outputFile = await readFile(outputPath, 'utf8');
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(outputFile),
    outputFile,
    summary: await readFile(summaryPath, 'utf8'),
    commands: parseCommands(stdout),
    log: stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
  };
}

/** `name<<delimiter\nvalue\ndelimiter`, the file-command format @actions/core writes. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}

const unescape = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

function parseCommands(stdout: string): WorkflowCommand[] {
  return stdout.split('\n').flatMap((line) => {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) return [];
    const [, command = '', props = '', message = ''] = match;
    const properties = Object.fromEntries(
      props
        .split(',')
        .filter(Boolean)
        .map((p) => {
          const eq = p.indexOf('=');
          return [p.slice(0, eq), unescape(p.slice(eq + 1))];
        }),
    );
    return [{ command, properties, message: unescape(message) }];
  });
}
