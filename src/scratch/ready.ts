import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fail } from '../core/problem.js';
import { lastLines } from './exec.js';
import type { ServerProcess } from './launch-posix.js';
import type { ScratchConnect } from './types.js';

export interface WaitOptions {
  readonly connect: ScratchConnect;
  readonly url: string;
  readonly dataDir: string;
  readonly server: ServerProcess;
  readonly logFile: string;
  readonly timeoutMs: number;
  /** `the PostgreSQL 15.20 server in /usr/lib/postgresql/15/bin`, for messages. */
  readonly what: string;
}

/** Connection attempts are this far apart: a server is up some 100 ms after its start. */
const POLL_MS = 20;

/**
 * Waits until the server accepts a connection and proves to be this one
 * (its data_directory is ours: another server may have taken the port
 * between the free-port probe and the bind). `port taken` asks the caller
 * to try another port.
 */
export async function waitReady(options: WaitOptions): Promise<'ready' | 'port taken'> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    const status = await options.server.status();
    if (status !== undefined) {
      const log = await readLog(options.logFile);
      if (/could not bind|address already in use|could not create any TCP\/IP sockets/i.test(log)) return 'port taken';
      throw fail('SCRATCH_FAILED', `${options.what} stopped while starting (${status}); the end of its log:\n${indent(lastLines(log))}`, {
        hint: 'the server log says why it stopped; check the PostgreSQL installation, or give the scratch server URL of a server you provide',
        settings: ['scratchUrl'],
      });
    }
    try {
      const session = await options.connect(options.url);
      try {
        const { rows } = await session.client.query<{ data_directory: string }>('SHOW data_directory');
        return rows[0]?.data_directory === options.dataDir ? 'ready' : 'port taken';
      } finally {
        await session.close();
      }
    } catch (error) {
      // Refused until it listens, then "the database system is starting up" (57P03) until it is ready.
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const log = await readLog(options.logFile);
      const seconds = (options.timeoutMs / 1000).toFixed(options.timeoutMs % 1000 === 0 ? 0 : 1);
      throw fail(
        'SCRATCH_FAILED',
        `${options.what} did not accept connections within ${seconds} s (last attempt: ${lastError || 'none'}); the end of its log:\n${indent(lastLines(log))}`,
        { hint: 'the server log may say why; on a slow machine allow a longer start timeout' },
      );
    }
    await sleep(POLL_MS);
  }
}

export const readLog = (file: string): Promise<string> => readFile(file, 'utf8').catch(() => '');

export const indent = (text: string): string => (text === '' ? '  (empty)' : text.replace(/^/gm, '  '));
