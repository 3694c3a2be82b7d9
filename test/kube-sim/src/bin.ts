/* eslint-disable no-console */
import { parseArgs } from 'node:util';
import { startKubeSim } from './index';
import { SCENARIOS } from './scenarios/catalog';

const HELP = `kube-sim: a simulated Kubernetes API server for Pod Watch

  --scenario <name>        scenario to run (repeatable; 'all' runs every one)
  --port <n>               port to listen on (default 6443; 0 = any free port)
  --host <addr>            listen address (default 127.0.0.1)
  --kubeconfig-out <file>  where to write a kubeconfig for the simulator
  --token <t>              bearer token (random by default)
  --time-scale <x>         simulated seconds per wall second (default 1)
  --timestamps <mode>      'simulated' (default) or 'wall': wall-clock timestamps with accelerated timers
  --history-window <n>     watch history size (default 10000)
  --load-pods <n>          also create n running pods (load generator)
  --load-namespaces <m>    spread load pods over m namespaces (default 10)
  --events-per-second <r>  steady event churn
  --api-latency-ms <n>     answer every request n ms late (a remote API server's round trip)
  --control-stdin          read commands from stdin: 'api-latency-ms <n>' changes the latency
  --list-scenarios         print the scenarios and exit
`;

async function main() {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true },
      port: { type: 'string', default: '6443' },
      host: { type: 'string', default: '127.0.0.1' },
      'kubeconfig-out': { type: 'string' },
      token: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      timestamps: { type: 'string', default: 'simulated' },
      'history-window': { type: 'string' },
      'load-pods': { type: 'string' },
      'load-namespaces': { type: 'string', default: '10' },
      'events-per-second': { type: 'string' },
      'api-latency-ms': { type: 'string' },
      'control-stdin': { type: 'boolean' },
      'list-scenarios': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values['list-scenarios']) {
    for (const s of SCENARIOS)
      console.log(
        `${s.name.padEnd(18)} ${s.namespace.padEnd(14)} ${s.description}`,
      );
    console.log(
      `${'all'.padEnd(18)} ${''.padEnd(
        14,
      )} every scenario above, each in its namespace`,
    );
    return;
  }
  const sim = await startKubeSim({
    port: Number(values.port),
    host: values.host,
    token: values.token,
    scenario: values.scenario,
    timeScale: Number(values['time-scale']),
    timestamps: values.timestamps === 'wall' ? 'wall' : 'simulated',
    historyWindow: values['history-window']
      ? Number(values['history-window'])
      : undefined,
    kubeconfigPath: values['kubeconfig-out'],
  });
  if (values['load-pods']) {
    const r = sim.load.createPods({
      pods: Number(values['load-pods']),
      namespaces: Number(values['load-namespaces']),
    });
    console.log(
      `load: ${r.pods} pods in ${r.namespaces} namespaces (${r.ms} ms)`,
    );
  }
  if (values['events-per-second']) {
    sim.load.startChurn({
      eventsPerSecond: Number(values['events-per-second']),
    });
  }
  let undoLatency = () => {};
  const setLatency = (ms: number) => {
    undoLatency();
    undoLatency = ms > 0 ? sim.faults.latency(ms) : () => {};
    console.log(`api latency: ${ms} ms`);
  };
  if (values['api-latency-ms']) setLatency(Number(values['api-latency-ms']));
  if (values['control-stdin']) {
    // benchmarks switch a running cluster between loopback and remote-like latency
    let pending = '';
    process.stdin.on('data', chunk => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^api-latency-ms (\d+)$/.exec(line.trim());
        if (m) setLatency(Number(m[1]));
        else if (line.trim()) console.error(`unknown command: ${line}`);
      }
    });
  }
  console.log(`kube-sim listening on ${sim.url}`);
  console.log(`kubeconfig: ${sim.kubeconfigPath}`);
  console.log(`token: ${sim.token}`);
  console.log(
    `scenarios: ${(values.scenario ?? []).join(', ') || '(none)'}; time scale ${
      sim.clock.timeScale
    }x`,
  );
  console.log(`try: kubectl --kubeconfig ${sim.kubeconfigPath} get pods -A`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
