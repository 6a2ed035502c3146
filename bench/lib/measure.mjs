// Runs one child process and times it, spawn to exit, with process.hrtime.bigint().
import { spawn } from 'node:child_process';

const KEEP = 64 * 1024; // bytes of output kept for error messages

/**
 * Runs { cmd, args, env, cwd } to completion. Returns
 * { ms, code, signal, stdout, stderr } (output truncated to its last `keepBytes`, 64 KiB unless told).
 * Output is drained through pipes, as in CI, not printed.
 */
export function runTimed(command, { timeoutMs = 10 * 60_000, keepBytes = KEEP } = {}) {
  return new Promise((resolve, reject) => {
    const out = [];
    const err = [];
    let exitAt;
    let exit;
    const started = process.hrtime.bigint();
    const child = spawn(command.cmd, command.args, {
      cwd: command.cwd,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const keep = (list) => (chunk) => {
      list.push(chunk);
      let size = list.reduce((s, c) => s + c.length, 0);
      while (size > keepBytes && list.length > 1) size -= list.shift().length;
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exitAt = process.hrtime.bigint();
      exit = { code, signal };
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({
        ms: Number((exitAt ?? process.hrtime.bigint()) - started) / 1e6,
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** A one-line reason from a failed run's output. */
export function failureReason(result) {
  const text = `${result.stderr}\n${result.stdout}`.trim().split('\n').filter(Boolean);
  const tail = text.slice(-3).join(' | ').slice(0, 300);
  const how = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
  return `${how}${tail ? `: ${tail}` : ''}`;
}
