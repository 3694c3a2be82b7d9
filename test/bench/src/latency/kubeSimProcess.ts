/**
 * The simulated cluster as a child process (the `kube-sim` bin), so its CPU — filtering 10k pods
 * for every list the Kubernetes plugin sends — runs outside the backend under test, as a real
 * API server would, instead of stalling the event loop both systems are timed on.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeSimProcess {
  url: string;
  token: string;
  /** base64 PEM of the simulator's CA, as `caData` in the kubernetes config block */
  caData: string;
  /** delays every API answer by `ms` from now on (0: loopback speed) */
  setApiLatency(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export interface KubeSimProcessOptions {
  scenarios: string[];
  /** load-generator pods (`sim.load.createPods`), spread over `loadNamespaces` */
  loadPods: number;
  loadNamespaces: number;
  /** simulated seconds per wall second: crash loops reach back-off within the run */
  timeScale: number;
  log(message: string): void;
}

const BIN = path.join(
  path.dirname(require.resolve('@pod-watch/kube-sim/package.json')),
  'src',
  'bin.ts',
);
const START_TIMEOUT_MS = 120_000;

export async function startKubeSimProcess(
  options: KubeSimProcessOptions,
): Promise<KubeSimProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pod-watch-bench-sim-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      BIN,
      '--port',
      '0',
      ...options.scenarios.flatMap(s => ['--scenario', s]),
      '--load-pods',
      String(options.loadPods),
      '--load-namespaces',
      String(options.loadNamespaces),
      '--time-scale',
      String(options.timeScale),
      // wall-clock timestamps: Events and restarts look recent to the incident rules
      '--timestamps',
      'wall',
      '--kubeconfig-out',
      kubeconfig,
      '--control-stdin',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], cwd: path.dirname(BIN) },
  );
  // never outlive the section, even when it exits without stopping us
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // the bin prints its URL once the load pods exist (the kubeconfig is written before)
    const url = await urlLine(child, options.log);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const cluster = kc.getCurrentCluster();
    const token = kc.getCurrentUser()?.token;
    if (!cluster?.caData || !token || cluster.server !== url) {
      throw new Error(`unexpected kubeconfig from kube-sim: ${kubeconfig}`);
    }
    const setApiLatency = (ms: number) =>
      new Promise<void>((resolve, reject) => {
        const applied = (chunk: Buffer) => {
          if (chunk.toString('utf8').includes(`api latency: ${ms} ms`)) {
            child.stdout!.off('data', applied);
            resolve();
          }
        };
        child.stdout!.on('data', applied);
        child.stdin!.write(`api-latency-ms ${ms}\n`, e => e && reject(e));
      });
    return { url, token, caData: cluster.caData, setApiLatency, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Logs the child's stdout (draining the pipe for its lifetime); resolves with its URL. */
function urlLine(
  child: ChildProcess,
  log: (message: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error('kube-sim did not start listening in time')),
      START_TIMEOUT_MS,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        log(`kube-sim: ${line}`);
        const m = /kube-sim listening on (\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`kube-sim exited during start-up (${code})`));
    });
  });
}
