import fs from 'node:fs';
import path from 'node:path';
import { parseDockerfile, resolveArgs } from './dockerfile';
import { repoRoot } from './renderer';

// The image cannot be built here (no Docker daemon, and `yarn build:backend` is a full build):
// check its structure against Backstage's host-build pattern instead.
const dockerfilePath = path.join(repoRoot, 'packages/backend/Dockerfile');
const instructions = parseDockerfile(fs.readFileSync(dockerfilePath, 'utf8'));
const of = (name: string) => instructions.filter(i => i.instruction === name);

describe('packages/backend/Dockerfile', () => {
  it('builds on a Node 22 or 24 image, single stage', () => {
    const froms = of('FROM');
    expect(froms).toHaveLength(1);
    expect(resolveArgs(froms[0].args, instructions)).toMatch(
      /^node:(22|24)(\.[0-9.]+)?(-[a-z]+)*(-slim)?$/,
    );
  });

  it('runs as the unprivileged node user', () => {
    const users = of('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1].args).toBe('node');
    const cmd = of('CMD')[0];
    const lastUser = users[users.length - 1];
    expect(lastUser.line).toBeLessThan(cmd.line);
    // Nothing after switching to node switches back.
    for (const user of users.filter(u => u.line > users[0].line)) {
      expect(user.args).not.toMatch(/^(root|0)(:|$)/);
    }
    // The installs and the bundle extraction run as node (after USER node).
    for (const run of of('RUN').filter(r => /yarn|tar /.test(r.args))) {
      expect(run.line).toBeGreaterThan(users[0].line);
    }
  });

  it('installs the skeleton and unpacks the bundle `yarn build:backend` produces', () => {
    const copies = of('COPY').map(c => c.args);
    const runs = of('RUN').map(r => r.args);
    const skeletonCopy = copies.findIndex(c =>
      c.includes('packages/backend/dist/skeleton.tar.gz'),
    );
    const bundleCopy = copies.findIndex(c =>
      c.includes('packages/backend/dist/bundle.tar.gz'),
    );
    expect(skeletonCopy).toBeGreaterThanOrEqual(0);
    expect(bundleCopy).toBeGreaterThan(skeletonCopy);
    expect(copies[skeletonCopy]).toMatch(/yarn\.lock/);
    expect(copies[skeletonCopy]).toMatch(/package\.json/);
    expect(runs.some(r => /tar xzf skeleton\.tar\.gz/.test(r))).toBe(true);
    expect(runs.some(r => /tar xzf bundle\.tar\.gz/.test(r))).toBe(true);
    expect(
      runs.some(r => /yarn workspaces focus --all --production/.test(r)),
    ).toBe(true);
    for (const copy of copies) {
      expect(copy).toMatch(/--chown=node:node/);
    }
    expect(of('ENV').map(e => e.args)).toContain('NODE_ENV=production');
    expect(of('WORKDIR').map(w => w.args)).toEqual(['/app']);
  });

  it('starts the backend on 7007 with the production config', () => {
    expect(of('EXPOSE').map(e => e.args)).toEqual(['7007']);
    const cmd = of('CMD');
    expect(cmd).toHaveLength(1);
    expect(JSON.parse(cmd[0].args)).toEqual([
      'node',
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ]);
    const healthcheck = of('HEALTHCHECK');
    expect(healthcheck.map(h => h.args).join()).toContain(
      '/.backstage/health/v1/liveness',
    );
  });

  it('copies only files that exist (or the build creates) and .dockerignore keeps', () => {
    const ignored = fs
      .readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(l => l && !l.startsWith('#'));
    const toRegExp = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')}(/|$)`,
      );
    const builtByYarn = [
      'packages/backend/dist/skeleton.tar.gz',
      'packages/backend/dist/bundle.tar.gz',
    ];
    const checked = of('COPY').flatMap(copy =>
      copy.args
        .split(' ')
        .filter(a => !a.startsWith('--'))
        .slice(0, -1)
        .map(source => {
          const ignoredBy = ignored.find(p => toRegExp(p).test(source));
          let present: boolean;
          if (builtByYarn.includes(source)) {
            present = true;
          } else if (source.includes('*')) {
            const re = toRegExp(source);
            present = fs
              .readdirSync(repoRoot)
              .filter(f => re.test(f))
              .includes('app-config.production.yaml');
          } else {
            present = fs.existsSync(path.join(repoRoot, source));
          }
          return { source, ignoredBy, present };
        }),
    );
    expect(checked.length).toBeGreaterThan(5);
    expect(checked).toEqual(
      checked.map(c => ({
        source: c.source,
        ignoredBy: undefined,
        present: true,
      })),
    );
  });

  it('is the image the backend package builds', () => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(repoRoot, 'packages/backend/package.json'),
        'utf8',
      ),
    );
    expect(pkg.scripts['build-image']).toMatch(
      /docker build \.\.\/\.\. -f Dockerfile/,
    );
    const root = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
    );
    expect(root.scripts['build:backend']).toBe('yarn workspace backend build');
  });
});
