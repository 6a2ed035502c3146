import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresBinaries } from '../../src/scratch/index.js';
import { anyBinaries, portOpen, startNode, transpiledScratch } from '../support/scratch-support.js';

/**
 * Each test runs a Node process that starts a private server, prints its
 * directory and port as a JSON line, then does what `tail` says; the test
 * then ends that process one way or another and looks at what is left.
 */
let scratch: Awaited<ReturnType<typeof transpiledScratch>>;
let binaries: PostgresBinaries;

beforeAll(async () => {
  scratch = await transpiledScratch();
  binaries = await anyBinaries();
});
afterAll(async () => {
  await scratch?.remove();
});

function child(tail: string) {
  const script = `
    import pg from 'pg';
    import { startScratchCluster } from ${JSON.stringify(scratch.entry)};
    const connect = async (url) => {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      try { await client.connect(); } catch (error) { await client.end().catch(() => {}); throw error; }
      return { client, close: () => client.end().catch(() => {}) };
    };
    const server = await startScratchCluster({ env: process.env, platform: process.platform, connect, bin: ${JSON.stringify(binaries.bin)} });
    const print = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
    print({ dir: server.dir, port: server.port });
    ${tail}
  `;
  return startNode(script, scratch.dir);
}

/** Waits for a condition that some other process brings about, checking every 50 ms. */
async function eventually(check: () => Promise<boolean> | boolean, what: string, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await sleep(50);
  }
}

describe('a private server outlives no process', () => {
  it('is stopped and removed on SIGTERM, and the process then ends by that signal', async () => {
    const run = child('setInterval(() => {}, 1000);');
    const { dir, port } = (await run.firstLine) as { dir: string; port: number };
    expect(existsSync(dir)).toBe(true);
    expect(await portOpen(port)).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGTERM' });
    // Stopped before the signal was raised again: nothing to wait for.
    expect(existsSync(dir)).toBe(false);
    expect(await portOpen(port)).toBe(false);
  });

  it('is stopped and removed on SIGINT as well', async () => {
    const run = child('setInterval(() => {}, 1000);');
    const { dir, port } = (await run.firstLine) as { dir: string; port: number };
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(existsSync(dir)).toBe(false);
    expect(await portOpen(port)).toBe(false);
  });

  it('leaves the signal to a host that handles it, and is removed when that host exits', async () => {
    const run = child(`
      process.on('SIGTERM', async () => {
        print({ stillThere: (await import('node:fs')).existsSync(server.dir) });
        process.exit(7);
      });
      setInterval(() => {}, 1000);
    `);
    const { dir, port } = (await run.firstLine) as { dir: string; port: number };
    let second = '';
    run.child.stdout.on('data', (text: string) => (second += text));
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 7, signal: null });
    expect(JSON.parse(second.trim())).toEqual({ stillThere: true });
    // The exit handler removes the directory at once, as far as the postmaster (still shutting down,
    // perhaps writing) lets it; the watcher finishes the job once the postmaster is gone.
    await eventually(async () => !existsSync(dir) && !(await portOpen(port)), 'the directory is removed and the port closes');
  });

  it('does not keep the process alive, and is removed when it ends without stop()', async () => {
    const run = child('');
    const { dir, port } = (await run.firstLine) as { dir: string; port: number };
    expect(await run.exited).toEqual({ code: 0, signal: null });
    // As on a signal: the exit handler removes what the postmaster, still shutting down, lets it; the watcher the rest.
    await eventually(async () => !existsSync(dir) && !(await portOpen(port)), 'the directory is removed and the port closes');
  });

  it('is shut down and removed by its watcher when the process is killed outright (SIGKILL)', async () => {
    const run = child('setInterval(() => {}, 1000);');
    const { dir, port } = (await run.firstLine) as { dir: string; port: number };
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await eventually(async () => !existsSync(dir) && !(await portOpen(port)), 'the watcher stops the server and removes its directory');
  });
});
