import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(30000);

const BIN = path.resolve(__dirname, 'bin.ts');

function run(args: string[]) {
  // the same runtime the `kube-sim` script uses (tsx)
  return spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('kube-sim bin', () => {
  it('--list-scenarios prints every scenario', async () => {
    const child = run(['--list-scenarios']);
    let out = '';
    child.stdout.on('data', d => {
      out += d;
    });
    const code = await new Promise(r => child.on('exit', r));
    expect(code).toBe(0);
    expect(out).toMatch(/^crashloop\s+payments\s+/m);
    expect(out).toMatch(/^all\s+/m);
  });

  it('prints where it listens, writes a kubeconfig, serves until stopped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-bin-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    const child = run([
      '--scenario',
      'healthy',
      '--port',
      '0',
      '--kubeconfig-out',
      kubeconfig,
    ]);
    try {
      let out = '';
      child.stdout.on('data', d => {
        out += d;
      });
      const end = Date.now() + 20000;
      while (!/listening on (\S+)/.test(out) && Date.now() < end)
        await new Promise(r => setTimeout(r, 50));
      const url = /listening on (\S+)/.exec(out)![1];
      const token = /token: (\S+)/.exec(out)![1];
      const yaml = fs.readFileSync(kubeconfig, 'utf8');
      expect(yaml).toContain(`server: ${url}`);
      const ca = Buffer.from(
        /certificate-authority-data: (\S+)/.exec(yaml)![1],
        'base64',
      );
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(
            `${url}/apis/apps/v1/namespaces/shop/deployments`,
            { ca, headers: { Authorization: `Bearer ${token}` } },
            res => {
              let b = '';
              res.on('data', d => {
                b += d;
              });
              res.on('end', () => resolve(b));
            },
          )
          .on('error', reject);
      });
      expect(JSON.parse(body).items[0].metadata.name).toBe('storefront');
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise(r => child.on('exit', r));
      expect(code).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
