/* `yarn start`: Backstage with both plugins. When no cluster is configured, a simulated demo
 * cluster (test/kube-sim running every scenario) is started first and handed to Pod Watch
 * through app-config.demo.yaml, so a first run has real pods, logs and incidents to show. */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const extraArgs = process.argv.slice(2);

/** A real cluster is configured when any app-config file has an active clusterLocatorMethods. */
function clustersConfigured() {
  const files = fs
    .readdirSync(root)
    .filter(f => /^app-config(\.[\w-]+)*\.ya?ml$/.test(f))
    .filter(f => f !== 'app-config.demo.yaml' && f !== 'app-config.production.yaml');
  return files.some(f =>
    /^\s*clusterLocatorMethods\s*:/m.test(fs.readFileSync(path.join(root, f), 'utf8')),
  );
}

function startDemoCluster() {
  const dir = path.join(root, 'packages/backend/.data/demo-cluster');
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(kubeconfig, { force: true });
  const sim = spawn(
    'yarn',
    [
      'workspace', '@pod-watch/kube-sim', 'kube-sim',
      '--scenario', 'all',
      '--port', process.env.POD_WATCH_DEMO_PORT ?? '6443',
      '--time-scale', process.env.POD_WATCH_DEMO_TIME_SCALE ?? '5',
      '--timestamps', 'wall',
      '--kubeconfig-out', kubeconfig,
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return { sim, kubeconfig };
}

async function waitFor(file, child) {
  for (let i = 0; i < 600; i++) {
    if (fs.existsSync(file)) return;
    if (child.exitCode !== null) throw new Error('the demo cluster exited during start-up');
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`the demo cluster wrote no kubeconfig to ${file} within 60 s`);
}

async function main() {
  const configArgs = ['--config', path.join(root, 'app-config.yaml')];
  const env = { ...process.env };
  const children = [];
  const demo = process.env.POD_WATCH_DEMO !== '0' && !clustersConfigured();
  if (demo) {
    const { sim, kubeconfig } = startDemoCluster();
    children.push(sim);
    await waitFor(kubeconfig, sim);
    env.POD_WATCH_DEMO_KUBECONFIG = kubeconfig;
    configArgs.push('--config', path.join(root, 'app-config.demo.yaml'));
    console.log('Pod Watch: no cluster configured, watching the simulated demo cluster');
  }
  for (const local of ['app-config.local.yaml']) {
    if (fs.existsSync(path.join(root, local))) {
      configArgs.push('--config', path.join(root, local));
    }
  }
  const backstage = spawn(
    'yarn',
    ['backstage-cli', 'repo', 'start', ...configArgs, ...extraArgs],
    { cwd: root, env, stdio: 'inherit' },
  );
  children.push(backstage);
  const stop = signal => children.forEach(c => c.exitCode === null && c.kill(signal));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  backstage.on('exit', code => {
    stop('SIGTERM');
    process.exit(code ?? 0);
  });
}

main().catch(e => {
  console.error(e.message);
  process.exit(1);
});
