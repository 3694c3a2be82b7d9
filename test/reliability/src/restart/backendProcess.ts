/**
 * Runs `backendChild.ts` as a real child process and kills it the hard way (or stops it the way
 * an orchestrator does: SIGTERM, which Backstage answers by running its shutdown hooks).
 */
import { ChildProcess, spawn } from 'node:child_process';
import type { JsonObject } from '@backstage/config';
import type { Knex } from 'knex';

export interface BackendProcess {
  pid: number;
  /** resolves once the backend has started (plugin initialised, tasks scheduled) */
  ready: Promise<void>;
  /** SIGKILL: no shutdown hooks, no final writes; resolves when the process is gone */
  kill9(): Promise<void>;
  /** SIGTERM: a graceful shutdown; resolves with the exit code when the process is gone */
  terminate(): Promise<number | null>;
  /** the last lines the backend logged (for failure details) */
  logTail(): string;
}

export function spawnBackend(settings: {
  database: Knex.Config;
  config: JsonObject;
}): BackendProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', require.resolve('./backendChild')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POD_WATCH_BACKEND: JSON.stringify(settings) },
    },
  );
  const lines: string[] = [];
  child.stderr!.on('data', chunk => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  });
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', chunk => {
      if (String(chunk).includes('ready')) resolve();
    });
    exited.then(() =>
      reject(
        new Error(`backend exited before it was ready: ${lines.join('\n')}`),
      ),
    );
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    ready,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      await exited;
    },
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      return exited;
    },
    logTail: () => lines.join('\n'),
  };
}
