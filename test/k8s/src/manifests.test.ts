import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigSources } from '@backstage/config-loader';
import { parse, parseAllDocuments } from 'yaml';
import { kubeconfigFor, startFakeKubeApi } from './fakeKubeApi';
import { renderer, RenderedFile, repoRoot } from './renderer';

const run = promisify(execFile);
const k8sDir = path.join(repoRoot, 'k8s');
const renderScript = path.join(k8sDir, 'render.js');

// Distinctive example values, so a leak of a secret into another file is easy to find.
const PASSWORD = `Pw-"q'uo\\te: #not-a-comment \${NOT_A_VAR} ü-7f3a9c`;
const USER = 'pw_user_5e1d';
const EXAMPLE_ENV = [
  '# example values for the manifest test',
  'NAMESPACE=pw-test',
  'IMAGE=registry.example.com/pod-watch/backstage:1.2.3',
  'REPLICAS=3',
  'BASE_URL=https://backstage.example.com',
  'CLUSTER_NAME=prod-eu',
  'POSTGRES_HOST=postgres.db.svc.cluster.local',
  'POSTGRES_PORT=6432',
  `POSTGRES_USER=${USER}`,
  `POSTGRES_PASSWORD=${JSON.stringify(PASSWORD)}`,
  'POSTGRES_SSL_MODE=verify-full',
  'POSTGRES_CA_FILE=/etc/pod-watch/postgres-ca/ca.crt',
  'POD_WATCH_NAMESPACES=shop, payments',
  'POD_WATCH_CUSTOM_RESOURCES=argoproj.io/v1alpha1/rollouts cert-manager.io/v1/certificates,argoproj.io/v1alpha1/analysisruns',
  'POD_WATCH_RETENTION_DAYS=30',
  '',
].join('\n');

const READ = ['get', 'list', 'watch'];
/** What the plugin reads: group|resource|verb, nothing more. */
const BUILT_IN_RULES = [
  ...['pods', 'events'].flatMap(r => READ.map(v => `|${r}|${v}`)),
  '|pods/log|get',
  ...READ.map(v => `events.k8s.io|events|${v}`),
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].flatMap(r =>
    READ.map(v => `apps|${r}|${v}`),
  ),
  ...READ.map(v => `batch|jobs|${v}`),
  ...READ.map(v => `discovery.k8s.io|endpointslices|${v}`),
];

type Obj = Record<string, any>;

function tmpDir(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function writeEnv(dir: string, text: string) {
  const file = path.join(dir, 'test.env');
  fs.writeFileSync(file, text);
  return file;
}

function parseFile(file: RenderedFile): Obj[] {
  const docs = parseAllDocuments(file.content);
  for (const doc of docs) {
    expect({ file: file.name, errors: doc.errors.map(e => e.message) }).toEqual(
      { file: file.name, errors: [] },
    );
  }
  return docs.map(d => d.toJS()).filter(Boolean);
}

/** The problems render() reports for these options (fails the test if it renders). */
function problemsOf(options: Parameters<typeof renderer.render>[0]): string[] {
  try {
    renderer.render(options);
  } catch (e) {
    if (e instanceof renderer.RenderError) return e.problems;
    throw e;
  }
  throw new Error('render() succeeded, expected problems');
}

function ruleTriples(role: Obj): string[] {
  return role.rules.flatMap((rule: Obj) =>
    rule.apiGroups.flatMap((g: string) =>
      rule.resources.flatMap((r: string) =>
        rule.verbs.map((v: string) => `${g}|${r}|${v}`),
      ),
    ),
  );
}

describe('k8s deployment manifests', () => {
  let dir: string;
  let outDir: string;
  let files: RenderedFile[];
  let objects: Obj[];
  const byKind = (kind: string) => {
    const found = objects.filter(o => o.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(() => {
    dir = tmpDir('pod-watch-k8s-');
    outDir = path.join(dir, 'rendered');
    const result = renderer.render({
      envFiles: [writeEnv(dir, EXAMPLE_ENV)],
      env: {},
    });
    files = result.files;
    renderer.writeRendered(files, outDir);
    objects = files.flatMap(parseFile);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders one object per template, every namespaced one in NAMESPACE', () => {
    expect(objects.map(o => o.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Namespace',
        'Secret',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    expect(files.map(f => f.name)).toEqual(
      renderer
        .listTemplates(path.join(k8sDir, 'templates'))
        .map(f => path.basename(f)),
    );
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];
    for (const o of objects) {
      expect(o.apiVersion).toBeTruthy();
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
    expect(objects.map(o => [o.kind, o.metadata.namespace])).toEqual(
      objects.map(o => [
        o.kind,
        clusterScoped.includes(o.kind) ? undefined : 'pw-test',
      ]),
    );
    expect(byKind('Namespace').metadata.name).toBe('pw-test');
    for (const file of files) {
      expect(file.content.startsWith(renderer.RENDERED_MARKER)).toBe(true);
    }
  });

  it('grants exactly what the plugin reads, read-only, plus the configured custom resources', () => {
    const role = byKind('ClusterRole');
    const triples = ruleTriples(role);
    expect(new Set(triples).size).toBe(triples.length);
    expect(triples.sort()).toEqual(
      [
        ...BUILT_IN_RULES,
        ...READ.map(v => `argoproj.io|analysisruns|${v}`),
        ...READ.map(v => `argoproj.io|rollouts|${v}`),
        ...READ.map(v => `cert-manager.io|certificates|${v}`),
      ].sort(),
    );
    for (const rule of role.rules) {
      expect(Object.keys(rule).sort()).toEqual([
        'apiGroups',
        'resources',
        'verbs',
      ]);
      for (const verb of rule.verbs) expect(READ).toContain(verb);
      for (const field of [rule.apiGroups, rule.resources, rule.verbs]) {
        expect(field.join(',')).not.toContain('*');
      }
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('configmaps');
    }
    expect(role.aggregationRule).toBeUndefined();
  });

  it('grants only the built-in reads when no custom resources are configured', () => {
    const result = renderer.render({
      envFiles: [
        writeEnv(
          tmpDir('pod-watch-k8s-'),
          'POSTGRES_HOST=db\nPOSTGRES_PASSWORD=x\n',
        ),
      ],
      env: {},
    });
    const role = result.files
      .flatMap(parseFile)
      .find(o => o.kind === 'ClusterRole')!;
    expect(ruleTriples(role).sort()).toEqual([...BUILT_IN_RULES].sort());
    const config = parse(
      result.files.flatMap(parseFile).find(o => o.kind === 'ConfigMap')!.data[
        'app-config.production.yaml'
      ],
    );
    expect(config.podWatch).toEqual({
      namespaces: { allow: [], deny: [] },
      customResources: [],
      retention: { days: 14 },
    });
  });

  it('binds the ClusterRole to the service account the pods run as', () => {
    const binding = byKind('ClusterRoleBinding');
    const role = byKind('ClusterRole');
    const account = byKind('ServiceAccount');
    const deployment = byKind('Deployment');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: account.metadata.name,
        namespace: 'pw-test',
      },
    ]);
    expect(role.metadata.name).toContain('pw-test');
    expect(deployment.spec.template.spec.serviceAccountName).toBe(
      account.metadata.name,
    );
    expect(account.automountServiceAccountToken).not.toBe(false);
  });

  it('runs the image non-root with startup, liveness and readiness probes', () => {
    const deployment = byKind('Deployment');
    const spec = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector.matchLabels).toEqual(
      expect.objectContaining(
        Object.fromEntries(
          Object.entries(deployment.spec.selector.matchLabels).filter(
            ([k]) => deployment.spec.template.metadata.labels[k],
          ),
        ),
      ),
    );
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) {
      expect(deployment.spec.template.metadata.labels[k]).toBe(v);
    }
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.containers).toHaveLength(1);
    const [container] = spec.containers;
    expect(container.image).toBe(
      'registry.example.com/pod-watch/backstage:1.2.3',
    );
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 7007, protocol: 'TCP' },
    ]);
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
    expect(container.startupProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/api/pod-watch/health',
      port: 'http',
    });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect(Number.isInteger(container[probe].periodSeconds)).toBe(true);
      expect(Number.isInteger(container[probe].failureThreshold)).toBe(true);
    }
    expect(container.resources.requests).toEqual({
      cpu: '250m',
      memory: '512Mi',
    });
    expect(container.resources.limits.memory).toBe('1536Mi');
    // The ConfigMap is what the backend loads after the image's app-config.yaml.
    expect(container.args).toEqual([
      'node',
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      '/app/config/app-config.production.yaml',
    ]);
    const configMount = container.volumeMounts.find(
      (m: Obj) => m.mountPath === '/app/config',
    );
    const configVolume = spec.volumes.find(
      (v: Obj) => v.name === configMount.name,
    );
    expect(configVolume.configMap.name).toBe(byKind('ConfigMap').metadata.name);
    // Every env value is a string (Kubernetes rejects numbers there).
    for (const env of container.env) {
      expect(typeof env.value === 'string' || env.valueFrom).toBeTruthy();
    }
    const service = byKind('Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('keeps secret values in the Secret and hands them to the pod by reference', () => {
    const secret = byKind('Secret');
    expect(secret.stringData).toEqual({
      POSTGRES_USER: USER,
      POSTGRES_PASSWORD: PASSWORD,
    });
    for (const file of files.filter(f => !f.secret)) {
      expect(file.content).not.toContain(USER);
      expect(file.content).not.toContain('7f3a9c');
    }
    expect(
      files.filter(f => f.content.includes('7f3a9c')).map(f => f.name),
    ).toEqual(['40-postgres-secret.yaml']);
    const mode = fs.statSync(path.join(outDir, '40-postgres-secret.yaml')).mode;
    expect(mode & 0o077).toBe(0);

    const env = byKind('Deployment').spec.template.spec.containers[0].env;
    for (const key of Object.keys(secret.stringData)) {
      expect(env.find((e: Obj) => e.name === key)).toEqual({
        name: key,
        valueFrom: {
          secretKeyRef: { name: secret.metadata.name, key },
        },
      });
    }
    expect(byKind('ConfigMap').data).not.toHaveProperty('password');
  });

  it('substitutes every variable; only runtime references the pod provides remain', () => {
    for (const file of files) {
      expect(file.content).not.toContain('$${');
    }
    const deployment = byKind('Deployment');
    const envNames = new Set(
      deployment.spec.template.spec.containers[0].env.map((e: Obj) => e.name),
    );
    const appConfig: string =
      byKind('ConfigMap').data['app-config.production.yaml'];
    // Outside the app config no ${...} is left. (The example password contains a literal
    // ${NOT_A_VAR}: that one is a value.)
    const leftovers = files
      .filter(file => file.name !== '30-configmap.yaml')
      .map(file => ({
        file: file.name,
        refs: [
          ...file.content
            .split('\n')
            .filter(line => !line.trim().startsWith('POSTGRES_PASSWORD:'))
            .join('\n')
            .matchAll(/\$\{([^}]*)\}/g),
        ].map(m => m[1]),
      }));
    expect(leftovers).toEqual(leftovers.map(l => ({ file: l.file, refs: [] })));
    // In the app config, every ${NAME} outside comments is an env var of the container.
    const runtimeRefs = appConfig
      .split('\n')
      .filter(line => !line.trim().startsWith('#'))
      .flatMap(line => [...line.matchAll(/\$\{([A-Za-z_0-9]+)(:-[^}]*)?\}/g)])
      .map(m => m[1]);
    expect(runtimeRefs.length).toBeGreaterThan(0);
    for (const name of runtimeRefs) {
      expect({ name, provided: envNames.has(name) }).toEqual({
        name,
        provided: true,
      });
    }
  });

  it('configures PostgreSQL, the in-cluster service account and podWatch in the ConfigMap', () => {
    const config = parse(
      byKind('ConfigMap').data['app-config.production.yaml'],
    );
    const rootConfig = parse(
      fs.readFileSync(
        path.join(repoRoot, 'app-config.production.yaml'),
        'utf8',
      ),
    );
    // One database block for the image default and the cluster: no drift.
    expect(config.backend.database).toEqual(rootConfig.backend.database);
    expect(config.backend.database.client).toBe('pg');
    expect(Object.keys(config.backend.database.connection).sort()).toEqual([
      'database',
      'host',
      'password',
      'port',
      'user',
    ]);
    expect(config.backend.baseUrl).toBe('https://backstage.example.com');
    expect(config.app.baseUrl).toBe('https://backstage.example.com');
    expect(config.backend.listen).toBe(':7007');
    expect(config.auth.providers.guest.dangerouslyAllowOutsideDevelopment).toBe(
      false,
    );
    expect(config.kubernetes.clusterLocatorMethods).toEqual([
      {
        type: 'config',
        clusters: [
          {
            name: 'prod-eu',
            url: 'https://kubernetes.default.svc',
            authProvider: 'serviceAccount',
            caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
            skipMetricsLookup: true,
          },
        ],
      },
    ]);
    // In-cluster credentials: no token in config, the mounted one is used.
    expect(JSON.stringify(config.kubernetes)).not.toContain(
      'serviceAccountToken',
    );
    expect(rootConfig.kubernetes.clusterLocatorMethods[0].clusters[0]).toEqual(
      expect.objectContaining({
        url: 'https://kubernetes.default.svc',
        authProvider: 'serviceAccount',
      }),
    );
    expect(config.podWatch).toEqual({
      namespaces: { allow: ['shop', 'payments'], deny: [] },
      customResources: [
        { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' },
        { group: 'cert-manager.io', version: 'v1', plural: 'certificates' },
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          plural: 'analysisruns',
        },
      ],
      retention: { days: 30 },
    });
    const env = Object.fromEntries(
      byKind('Deployment').spec.template.spec.containers[0].env.map(
        (e: Obj) => [e.name, e.value],
      ),
    );
    expect(env).toEqual(
      expect.objectContaining({
        POSTGRES_HOST: 'postgres.db.svc.cluster.local',
        POSTGRES_PORT: '6432',
        PGSSLMODE: 'verify-full',
        NODE_EXTRA_CA_CERTS: '/etc/pod-watch/postgres-ca/ca.crt',
      }),
    );
  });

  it("loads with Backstage's config loader as the pod does, credentials from the Secret", async () => {
    // The container's environment: literal values plus the Secret's keys.
    const secret = byKind('Secret');
    const deployment = byKind('Deployment');
    const [container] = deployment.spec.template.spec.containers;
    const env: Record<string, string> = {};
    for (const e of container.env) {
      env[e.name] = e.valueFrom
        ? secret.stringData[e.valueFrom.secretKeyRef.key]
        : e.value;
    }
    // The pod's command line after `node packages/backend`, with the mounted ConfigMap.
    const mounted = path.join(dir, 'app-config.production.yaml');
    fs.writeFileSync(
      mounted,
      byKind('ConfigMap').data['app-config.production.yaml'],
    );
    // The image's /app is the repository root's layout (app-config.yaml at the top).
    expect(container.args.slice(0, 2)).toEqual(['node', 'packages/backend']);
    const inImage = (a: string) => {
      if (a === '/app/config/app-config.production.yaml') return mounted;
      return a.endsWith('.yaml') ? path.join(repoRoot, a) : a;
    };
    const argv = container.args.slice(2).map(inImage);
    expect(argv).toEqual([
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      mounted,
    ]);
    const config = await ConfigSources.toConfig(
      ConfigSources.default({
        argv,
        env,
        rootDir: repoRoot,
        substitutionFunc: async name => env[name],
      }),
    );
    try {
      expect(config.get('backend.database')).toEqual({
        client: 'pg',
        pluginDivisionMode: 'database',
        connection: {
          host: 'postgres.db.svc.cluster.local',
          port: '6432',
          user: USER,
          password: PASSWORD,
          database: 'backstage',
          // Merged in from app-config.yaml's SQLite connection; node-postgres ignores it.
          directory: '.data',
        },
      });
      expect(config.getString('backend.baseUrl')).toBe(
        'https://backstage.example.com',
      );
      expect(
        config
          .getConfigArray('catalog.locations')
          .map(l => l.getString('target')),
      ).toEqual([
        './examples/entities.yaml',
        './examples/template/template.yaml',
        './examples/org.yaml',
      ]);
      expect(config.getStringArray('podWatch.namespaces.allow')).toEqual([
        'shop',
        'payments',
      ]);
      expect(config.getNumber('podWatch.retention.days')).toBe(30);
      expect(
        config.getBoolean(
          'auth.providers.guest.dangerouslyAllowOutsideDevelopment',
        ),
      ).toBe(false);
      // Nothing left unresolved.
      expect(JSON.stringify(config.get())).not.toMatch(/\$\{(?!NOT_A_VAR)/);
    } finally {
      config.close();
    }
  });

  describe('variables', () => {
    const specs = renderer.parseSpec(
      fs.readFileSync(path.join(k8sDir, '.env.example'), 'utf8'),
    );

    it('declares every variable with a description, and every one is used', () => {
      const referenced = new Set<string>();
      for (const template of renderer.listTemplates(
        path.join(k8sDir, 'templates'),
      )) {
        const scan = renderer.scanTemplate(
          fs.readFileSync(template, 'utf8'),
          template,
        );
        expect(scan.problems).toEqual([]);
        for (const ref of scan.refs) {
          for (const name of renderer.DERIVED[ref.name]?.from ?? [ref.name]) {
            referenced.add(name);
          }
        }
      }
      expect([...specs.keys()].sort()).toEqual([...referenced].sort());
      for (const spec of specs.values()) {
        expect({ name: spec.name, description: spec.description }).toEqual({
          name: spec.name,
          description: expect.stringMatching(/\w/),
        });
      }
      const secrets = [...specs.values()]
        .filter(s => s.secret)
        .map(s => s.name);
      expect(secrets.sort()).toEqual(['POSTGRES_PASSWORD', 'POSTGRES_USER']);
    });

    it('documents every variable in docs/deployment.md', () => {
      const docs = fs.readFileSync(
        path.join(repoRoot, 'docs/deployment.md'),
        'utf8',
      );
      const undocumented = [...specs.keys()].filter(
        name => !docs.includes(`\`${name}\``),
      );
      expect(undocumented).toEqual([]);
    });

    it('fails clearly on a missing required variable, listing all of them', () => {
      expect(() => renderer.render({ envFiles: [], env: {} })).toThrow(
        /missing required variable POSTGRES_PASSWORD[\s\S]*missing required variable POSTGRES_HOST|missing required variable POSTGRES_HOST[\s\S]*missing required variable POSTGRES_PASSWORD/,
      );
      expect(
        problemsOf({ envFiles: [], env: { POSTGRES_HOST: 'db' } }),
      ).toEqual([
        expect.stringMatching(
          /^missing required variable POSTGRES_PASSWORD: set it in k8s\/\.env or the environment\. POSTGRES_PASSWORD: Password/,
        ),
      ]);
    });

    it('takes values from the environment over env files over defaults', () => {
      const envFile = writeEnv(
        tmpDir('pod-watch-k8s-'),
        'POSTGRES_HOST=from-file\nPOSTGRES_PASSWORD=file\nREPLICAS=4\n',
      );
      const result = renderer.render({
        envFiles: [envFile],
        env: { POSTGRES_HOST: 'from-env', UNRELATED: 'x' },
      });
      expect(result.values.POSTGRES_HOST).toBe('from-env');
      expect(result.sources.POSTGRES_HOST).toBe('environment');
      expect(result.values.REPLICAS).toBe('4');
      expect(result.values.NAMESPACE).toBe('pod-watch');
      expect(result.sources.NAMESPACE).toBe('default');
    });

    it('rejects unknown names, bad values and misplaced secrets without echoing secrets', () => {
      const d = tmpDir('pod-watch-k8s-');
      expect(() =>
        renderer.render({
          envFiles: [writeEnv(d, 'POSTGRES_HOST=db\nPOSTGRES_PASWORD=x\n')],
          env: {},
        }),
      ).toThrow(/test\.env:2: unknown variable POSTGRES_PASWORD/);
      const bad = {
        POSTGRES_HOST: 'db',
        POSTGRES_PASSWORD: 'x',
        REPLICAS: 'two',
        NAMESPACE: 'Not_A_Name',
        POSTGRES_SSL_MODE: 'maybe',
        POD_WATCH_CUSTOM_RESOURCES: 'apps/v1/deployments',
        BASE_URL: 'https://backstage.example.com/',
      };
      const problems = problemsOf({ env: bad });
      expect(problems).toEqual(
        expect.arrayContaining([
          'REPLICAS="two" must be a whole number',
          'NAMESPACE="Not_A_Name" must be a lowercase DNS label (a-z, 0-9, -; at most 63)',
          expect.stringMatching(
            /^POSTGRES_SSL_MODE="maybe" must be one of disable/,
          ),
          expect.stringMatching(
            /group "apps" is not a custom resource API group/,
          ),
          'BASE_URL="https://backstage.example.com/" must not end with a slash',
        ]),
      );
      expect(problems).toHaveLength(5);
      // A secret's value is never echoed.
      const specDir = tmpDir('pod-watch-k8s-');
      fs.writeFileSync(
        path.join(specDir, 'example.env'),
        '# A numeric secret.\n# @secret\n# @type int\nPIN=\n',
      );
      fs.mkdirSync(path.join(specDir, 't'));
      fs.writeFileSync(
        path.join(specDir, 't', '10-pin-secret.yaml'),
        'pin: ${PIN}\n',
      );
      expect(
        problemsOf({
          examplePath: path.join(specDir, 'example.env'),
          templatesDir: path.join(specDir, 't'),
          env: { PIN: 'hunter2' },
        }),
      ).toEqual(['PIN must be a whole number']);
      expect(
        problemsOf({
          env: {
            POSTGRES_HOST: 'db',
            POSTGRES_PASSWORD: 'x',
            POSTGRES_PORT: '99999',
          },
        }),
      ).toEqual(['POSTGRES_PORT="99999" must be a port number (1-65535)']);
      // A secret in a template that is not a Secret, and an undeclared name.
      const templates = path.join(d, 'templates');
      fs.mkdirSync(templates);
      fs.writeFileSync(
        path.join(templates, '10-leak.yaml'),
        'password: "${POSTGRES_PASSWORD}"\nx: "${NOT_DECLARED}"\ny: "${bad name}"\n',
      );
      expect(
        problemsOf({
          templatesDir: templates,
          env: { POSTGRES_HOST: 'db', POSTGRES_PASSWORD: 'x' },
        }),
      ).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /10-leak\.yaml:1: secret variable POSTGRES_PASSWORD may only be used in a \*-secret\.yaml template$/,
          ),
          expect.stringMatching(
            /10-leak\.yaml:2: unknown variable \$\{NOT_DECLARED\}/,
          ),
          expect.stringMatching(
            /10-leak\.yaml:3: malformed placeholder \$\{bad name\}/,
          ),
        ]),
      );
    });

    it('escapes each value for where it stands and refuses unsafe placements', () => {
      const d = tmpDir('pod-watch-k8s-');
      const example = path.join(d, 'example.env');
      fs.writeFileSync(
        example,
        [
          '# A string.',
          'S=',
          '# A number.',
          '# @type int',
          'N=5',
          '# Names.',
          '# @type list',
          '# @optional',
          'L=',
          '',
        ].join('\n'),
      );
      const templates = path.join(d, 't');
      fs.mkdirSync(templates);
      const template = path.join(templates, '10-ok.yaml');
      fs.writeFileSync(
        template,
        [
          'double: "${S}"',
          "single: '${S}'",
          'mixed: "x-${S}-${N}"',
          'number: ${N}',
          'quotedNumber: "${N}"',
          'list: ${L}',
          'items:',
          '  - ${L}',
          '# a comment mentioning ${N}',
          '',
        ].join('\n'),
      );
      const tricky = `a"b'c\\d #e: f \${X} ü`;
      const rendered = parse(
        renderer.render({
          examplePath: example,
          templatesDir: templates,
          env: { S: tricky, L: 'one two' },
        }).files[0].content,
      );
      expect(rendered).toEqual({
        double: tricky,
        single: tricky,
        mixed: `x-${tricky}-5`,
        number: 5,
        quotedNumber: '5',
        list: ['one', 'two'],
        items: ['one', 'two'],
      });
      // A line break survives in "..." only.
      fs.writeFileSync(template, 'double: "${S}"\n');
      expect(
        parse(
          renderer.render({
            examplePath: example,
            templatesDir: templates,
            env: { S: 'two\nlines' },
          }).files[0].content,
        ).double,
      ).toBe('two\nlines');
      fs.writeFileSync(
        template,
        'single: \'${S}\'\nplain: ${S}\nquotedList: "${L}"\n',
      );
      expect(
        problemsOf({
          examplePath: example,
          templatesDir: templates,
          env: { S: 'two\nlines' },
        }),
      ).toEqual([
        expect.stringMatching(/10-ok\.yaml:1: S contains a line break/),
        expect.stringMatching(
          /10-ok\.yaml:2: string variable \$\{S\} must be quoted/,
        ),
        expect.stringMatching(
          /10-ok\.yaml:3: list variable \$\{L\} must not be quoted/,
        ),
      ]);
    });

    it('skips templates on request, dropping the variables only they need', () => {
      const result = renderer.render({
        env: { POSTGRES_HOST: 'db' },
        skip: ['postgres-secret', 'namespace'],
      });
      expect(result.files.map(f => f.name)).not.toContain(
        '40-postgres-secret.yaml',
      );
      expect(result.files.map(f => f.name)).not.toContain('00-namespace.yaml');
      expect(() => renderer.render({ env: {}, skip: ['nope'] })).toThrow(
        /--skip nope: no such template/,
      );
      // Stale output of a skipped template is removed, other files are kept.
      const d = tmpDir('pod-watch-k8s-');
      const full = renderer.render({
        env: { POSTGRES_HOST: 'db', POSTGRES_PASSWORD: 'x' },
      });
      renderer.writeRendered(full.files, d);
      fs.writeFileSync(path.join(d, 'mine.yaml'), 'kind: Mine\n');
      renderer.writeRendered(result.files, d);
      expect(fs.readdirSync(d).sort()).toEqual(
        [...result.files.map(f => f.name), 'mine.yaml'].sort(),
      );
    });
  });

  describe('command line', () => {
    it('writes the manifests and reports where values came from', async () => {
      const d = tmpDir('pod-watch-k8s-');
      const envFile = writeEnv(d, EXAMPLE_ENV);
      const out = path.join(d, 'out');
      const { stderr } = await run(
        process.execPath,
        [renderScript, '--env-file', envFile, '--out', out],
        { env: { PATH: process.env.PATH, POSTGRES_PASSWORD: 'from-the-env' } },
      );
      expect(stderr).toMatch(/rendered 8 manifests to .*out/);
      expect(stderr).toContain('from the environment: POSTGRES_PASSWORD');
      expect(stderr).not.toContain('from-the-env');
      expect(fs.readdirSync(out)).toHaveLength(8);
      expect(
        parse(
          fs.readFileSync(path.join(out, '40-postgres-secret.yaml'), 'utf8'),
        ).stringData.POSTGRES_PASSWORD,
      ).toBe('from-the-env');
    });

    it('prints one stream with --stdout and exits 1 with the problems', async () => {
      const d = tmpDir('pod-watch-k8s-');
      const envFile = writeEnv(d, EXAMPLE_ENV);
      const { stdout } = await run(process.execPath, [
        renderScript,
        '--no-env',
        '--env-file',
        envFile,
        '--stdout',
      ]);
      expect(parseAllDocuments(stdout)).toHaveLength(8);
      const failed = await run(process.execPath, [
        renderScript,
        '--no-env',
        '--env-file',
        writeEnv(d, 'REPLICAS=1\n'),
        '--out',
        d,
      ]).catch(e => e);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(
        'missing required variable POSTGRES_HOST',
      );
      expect(failed.stderr).toContain(
        'missing required variable POSTGRES_PASSWORD',
      );
    });
  });

  describe('kubectl', () => {
    // KUBECTL=/path overrides the lookup (KUBECTL=/nonexistent CI=1 shows the CI failure).
    const kubectl = (
      process.env.KUBECTL
        ? [process.env.KUBECTL]
        : (process.env.PATH ?? '')
            .split(path.delimiter)
            .filter(Boolean)
            .map(p => path.join(p, 'kubectl'))
            .concat(['/usr/bin/kubectl', '/usr/local/bin/kubectl'])
    ).find(p => fs.existsSync(p));

    // Skipped only when kubectl is missing and CI is not set; in CI a missing kubectl fails.
    const itWithKubectl = kubectl || process.env.CI ? it : it.skip;

    /* eslint-disable jest/no-standalone-expect -- itWithKubectl is `it` or `it.skip` */
    itWithKubectl(
      'accepts every manifest: kubectl apply --dry-run=client --validate=false',
      async () => {
        expect({ kubectl }).toEqual({ kubectl: expect.any(String) }); // CI without kubectl fails here
        const api = await startFakeKubeApi([
          {
            group: '',
            version: 'v1',
            name: 'namespaces',
            kind: 'Namespace',
            namespaced: false,
          },
          {
            group: '',
            version: 'v1',
            name: 'serviceaccounts',
            kind: 'ServiceAccount',
            namespaced: true,
          },
          {
            group: '',
            version: 'v1',
            name: 'configmaps',
            kind: 'ConfigMap',
            namespaced: true,
          },
          {
            group: '',
            version: 'v1',
            name: 'secrets',
            kind: 'Secret',
            namespaced: true,
          },
          {
            group: '',
            version: 'v1',
            name: 'services',
            kind: 'Service',
            namespaced: true,
          },
          {
            group: 'apps',
            version: 'v1',
            name: 'deployments',
            kind: 'Deployment',
            namespaced: true,
          },
          {
            group: 'rbac.authorization.k8s.io',
            version: 'v1',
            name: 'clusterroles',
            kind: 'ClusterRole',
            namespaced: false,
          },
          {
            group: 'rbac.authorization.k8s.io',
            version: 'v1',
            name: 'clusterrolebindings',
            kind: 'ClusterRoleBinding',
            namespaced: false,
          },
        ]);
        try {
          const kubeconfig = path.join(dir, 'kubeconfig');
          fs.writeFileSync(kubeconfig, kubeconfigFor(api.url));
          const { stdout } = await run(
            kubectl!,
            [
              '--kubeconfig',
              kubeconfig,
              '--cache-dir',
              path.join(dir, 'kube-cache'),
              'apply',
              '--dry-run=client',
              '--validate=false',
              '-f',
              outDir,
            ],
            { timeout: 60_000 },
          );
          const created = stdout.trim().split('\n').sort();
          expect(created).toEqual(
            [
              'namespace/pw-test created (dry run)',
              'serviceaccount/pod-watch created (dry run)',
              'clusterrole.rbac.authorization.k8s.io/pod-watch-reader-pw-test created (dry run)',
              'clusterrolebinding.rbac.authorization.k8s.io/pod-watch-reader-pw-test created (dry run)',
              'configmap/pod-watch-app-config created (dry run)',
              'secret/pod-watch-postgres created (dry run)',
              'deployment.apps/pod-watch created (dry run)',
              'service/pod-watch created (dry run)',
            ].sort(),
          );
          // Dry run: nothing but reads reached the server.
          expect(api.requests.filter(r => !r.startsWith('GET '))).toEqual([]);
        } finally {
          await api.close();
        }
      },
      90_000,
    );
    /* eslint-enable jest/no-standalone-expect */
  });
});
