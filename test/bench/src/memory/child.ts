/**
 * A measured process and the section that drives it: the section forks a script with an IPC
 * channel and calls its handlers; the child answers each request by id. Keeping the measured
 * work in its own process keeps the section's own heap (and the simulator's) out of the figure.
 */
import { ChildProcess, fork } from 'node:child_process';

type Handlers = Record<string, (arg: any) => Promise<unknown> | unknown>;

interface Request {
  id: number;
  type: string;
  arg?: unknown;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Child side: answers the parent's requests with `handlers`, after announcing `ready`. */
export function serve(handlers: Handlers, ready: unknown = {}): void {
  if (!process.send)
    throw new Error('run this script through startChild (IPC needed)');
  process.on('message', async (m: Request) => {
    const reply: Reply = { id: m.id };
    try {
      const handler = handlers[m.type];
      if (!handler) throw new Error(`unknown request ${m.type}`);
      reply.result = await handler(m.arg);
    } catch (e) {
      reply.error = e instanceof Error ? e.stack ?? e.message : String(e);
    }
    process.send!(reply);
  });
  // the parent going away ends the child (no orphaned simulators or backends)
  process.on('disconnect', () => process.exit(0));
  process.send({ id: 0, result: ready });
}

export interface Child<R> {
  /** what the child announced when it was ready */
  ready: R;
  request<T>(type: string, arg?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Forks `script` under tsx with --expose-gc and waits until it is ready. */
export async function startChild<R>(
  script: string,
  env: Record<string, string> = {},
): Promise<Child<R>> {
  const proc: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  const exited = new Promise<void>(resolve =>
    proc.once('exit', () => resolve()),
  );
  const ready = await new Promise<R>((resolve, reject) => {
    proc.once('exit', code =>
      reject(new Error(`${script} exited with ${code} before it was ready`)),
    );
    proc.on('message', (m: Reply) => {
      if (m.id === 0) {
        resolve(m.result as R);
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  });
  proc.on('exit', code => {
    for (const p of pending.values())
      p.reject(new Error(`${script} exited with ${code}`));
    pending.clear();
  });
  return {
    ready,
    request: (type, arg) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        proc.send({ id, type, arg } satisfies Request);
      }),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}
