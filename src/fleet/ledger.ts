/**
 * The run ledger: one JSON file per run, one record per target, rewritten
 * as the run goes (a temporary file, then a rename: a reader, or a runner
 * killed mid-write, sees the old ledger or the new one, never half of one).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail } from '../core/problem.js';
import type { Ledger, TargetRecord } from '../core/fleet.js';

export type { FleetCommand, Ledger, TargetRecord, TargetStatus } from '../core/fleet.js';

/** The default directory of the ledgers, under the working directory. */
export const DEFAULT_LEDGER_DIR = '.pgshift/runs';

/** `20261206T214501Z-3fa9c2`: sortable by time, unique by its random tail. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export const ledgerPath = (dir: string, runId: string): string => join(dir, `${runId}.json`);

const RUN_ID = /^[0-9TZ]+-[0-9a-f]{6}$/;

/** Reads a ledger; a missing or malformed one is an error naming the file. */
export async function readLedger(path: string): Promise<Ledger> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fail('INVALID_OPTION', `cannot read the ledger ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: 'give the run id printed at the start of the run (or the ledger file it names)',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail('INVALID_OPTION', `${path} is not valid JSON: ${(error as Error).message}`, { hint: 'give a ledger pgshift fleet wrote' });
  }
  const ledger = value as Partial<Ledger>;
  if (ledger.format !== 'pgshift-fleet-ledger/1' || !Array.isArray(ledger.targets) || typeof ledger.runId !== 'string') {
    throw fail('INVALID_OPTION', `${path} is not a pgshift fleet ledger`, { hint: 'give a ledger pgshift fleet wrote' });
  }
  return value as Ledger;
}

/** The ledger of run `runId` in `dir`; the id is checked, so that it cannot name another file. */
export function resumePath(dir: string, runId: string): string {
  if (!RUN_ID.test(runId)) {
    throw fail('USAGE', `--resume: "${runId}" is not a run id`, {
      hint: 'give the run id printed at the start of the run, e.g. 20261206T214501Z-3fa9c2',
    });
  }
  return ledgerPath(dir, runId);
}

/** Writes the ledger as it changes; writes never overlap and the last state always lands. */
export class LedgerWriter {
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private created = false;
  /** The first write that failed (a full disk, a directory removed): the run goes on, and its report says so. */
  error: Error | undefined;
  constructor(
    readonly path: string,
    private readonly dir: string,
    readonly ledger: Ledger,
    /** Masks the targets' passwords in what is written (a health command's output, say, could quote a URL). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Sets a target's record and schedules a write. */
  set(record: TargetRecord): void {
    const index = this.ledger.targets.findIndex((t) => t.id === record.id);
    if (index >= 0) this.ledger.targets[index] = record;
    else this.ledger.targets.push(record);
    void this.save();
  }

  /** Schedules a write of the ledger as it is then; a write already waiting covers this one. Never rejects. */
  save(): Promise<void> {
    if (!this.pending) {
      this.pending = true;
      this.chain = this.chain.then(async () => {
        this.pending = false;
        this.ledger.updatedAt = new Date().toISOString();
        const temporary = `${this.path}.${process.pid}.tmp`;
        try {
          if (!this.created) await mkdir(this.dir, { recursive: true });
          this.created = true;
          await writeFile(temporary, this.redact(JSON.stringify(this.ledger, null, 2)) + '\n');
          await rename(temporary, this.path);
        } catch (error) {
          this.error ??= error instanceof Error ? error : new Error(String(error));
        }
      });
    }
    return this.chain;
  }

  /** Waits for every write. */
  async flush(): Promise<void> {
    await this.save();
  }
}
