import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * The variable that marks a private server's processes. PostgreSQL's
 * backends each make a session of their own (setsid), and a program a
 * migration starts in the background (`COPY … TO PROGRAM 'sleep 97 &'`)
 * ignores SIGQUIT and is left to init once its shell exits: neither the
 * postmaster's process group nor its tree finds them afterwards. Every one
 * of them inherits the server's environment, so the mark does.
 */
export const MARK = 'PGSHIFT_SCRATCH';

export const newMark = (): string => randomBytes(8).toString('hex');

/**
 * SIGKILL to every process that carries the mark or is a child of the
 * postmaster (Linux: read from /proc, whose environ files are readable for
 * this process's own and, under root, every user's; a backend's may be
 * overwritten by its process title, hence the parent too). Elsewhere there
 * is no such list to read, and the caller's process-group kill is all
 * there is.
 */
export function killMarked(mark: string, postmaster?: number): void {
  const needle = `${MARK}=${mark}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (!(isChild(entry, postmaster) || read(`/proc/${entry}/environ`).split('\0').includes(needle))) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

const read = (file: string): string => {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
};

/** Whether /proc/<pid>/stat names `parent` as its parent (the field after the command, which may hold spaces). */
function isChild(pid: string, parent: number | undefined): boolean {
  if (parent === undefined) return false;
  const stat = read(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]) === parent;
}
