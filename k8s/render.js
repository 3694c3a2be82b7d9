#!/usr/bin/env node
/*
 * Renders the Pod Watch deployment manifests: k8s/templates/*.yaml + variables -> k8s/rendered/*.yaml.
 * Plain Node (>= 18), no dependencies, so it works wherever the repository does (no gettext needed).
 *
 *   node k8s/render.js [--env-file FILE]... [--out DIR | --stdout] [--skip NAME]... [--no-env]
 *
 * Variables are declared in k8s/.env.example (default, type, @required/@optional/@secret tags).
 * Values: k8s/.env.example defaults < k8s/.env (or each --env-file, in order) < environment variables
 * with a declared name (unless --no-env). Unknown names in an env file are an error (typos).
 *
 * Template syntax (a strict envsubst):
 *   ${NAME}       a declared (or derived, below) variable, escaped for where it stands: inside
 *                 "..." with JSON escapes, inside '...' with '' for '. String variables must be
 *                 quoted (either way); int/port/bool/quantity/enum/... are validated words that
 *                 may also stand unquoted; lists render as a JSON (YAML flow) array, unquoted.
 *   - ${LIST}     alone on a line, a list variable expands to one sequence item per element
 *                 (nothing when empty); objects are written as JSON (YAML flow) mappings.
 *   $${NAME}      written out as ${NAME}: a reference Backstage resolves from the container's
 *                 environment at runtime (its own escape syntax, one level up). ${NAME:-x} too.
 * Anything else that looks like a placeholder, an undeclared name, or a @secret variable in a
 * template that is not a Secret (file name ending in -secret.yaml) is an error.
 *
 * Derived variables (computed here from POD_WATCH_CUSTOM_RESOURCES, group/version/plural items):
 *   POD_WATCH_CUSTOM_RESOURCE_RULES   ClusterRole rules, one per API group: get/list/watch on its plurals
 *   POD_WATCH_CUSTOM_RESOURCES_CONFIG podWatch.customResources entries {group, version, plural}
 *
 * Output: one file per template (same name), each starting with RENDERED_MARKER. Before writing,
 * files in the output directory that start with that marker are removed (stale manifests of a
 * skipped template must not be applied); other files are left alone. The Secret is mode 0600.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const K8S_DIR = __dirname;
const DEFAULT_EXAMPLE = path.join(K8S_DIR, '.env.example');
const DEFAULT_TEMPLATES = path.join(K8S_DIR, 'templates');
const DEFAULT_ENV_FILE = path.join(K8S_DIR, '.env');
const DEFAULT_OUT = path.join(K8S_DIR, 'rendered');
const RENDERED_MARKER = '# Rendered by k8s/render.js';

/** A path for messages: relative to the working directory when inside it, else absolute. */
function display(file) {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel)
    ? rel
    : path.resolve(file);
}

class RenderError extends Error {
  constructor(problems) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(
      list.length === 1
        ? list[0]
        : `${list.length} problems:\n  - ${list.join('\n  - ')}`,
    );
    this.name = 'RenderError';
    this.problems = list;
  }
}

// ------------------------------------------------------------------ types

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function splitList(value) {
  return value.split(/[\s,]+/).filter(Boolean);
}

function parseCustomResource(item) {
  const parts = item.split('/');
  if (parts.length !== 3) {
    return { error: `"${item}" is not group/version/plural` };
  }
  const [group, version, plural] = parts;
  if (!DNS_SUBDOMAIN.test(group) || !group.includes('.')) {
    return {
      error: `"${item}": group "${group}" is not a custom resource API group (a DNS name with a dot)`,
    };
  }
  if (!/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(version)) {
    return {
      error: `"${item}": version "${version}" is not a Kubernetes API version (v1, v1beta2, ...)`,
    };
  }
  if (!DNS_LABEL.test(plural)) {
    return {
      error: `"${item}": plural "${plural}" is not a lowercase resource name`,
    };
  }
  return { value: { group, version, plural } };
}

/** Each type: check(value) -> error text or undefined; list: whether it expands as a list. */
const TYPES = {
  string: { check: () => undefined },
  name: {
    check: v =>
      DNS_LABEL.test(v)
        ? undefined
        : 'must be a lowercase DNS label (a-z, 0-9, -; at most 63)',
  },
  int: {
    check: v =>
      /^(0|[1-9][0-9]{0,8})$/.test(v) ? undefined : 'must be a whole number',
  },
  port: {
    check: v =>
      /^[1-9][0-9]{0,4}$/.test(v) && Number(v) <= 65535
        ? undefined
        : 'must be a port number (1-65535)',
  },
  bool: {
    check: v =>
      v === 'true' || v === 'false' ? undefined : 'must be true or false',
  },
  quantity: {
    check: v =>
      /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(v)
        ? undefined
        : 'must be a Kubernetes quantity (250m, 512Mi, 1Gi, ...)',
  },
  url: {
    check: v => {
      if (!/^https?:\/\/[^\s"'\\]+$/.test(v)) return 'must be an http(s) URL';
      return v.endsWith('/') ? 'must not end with a slash' : undefined;
    },
  },
  image: {
    check: v =>
      /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(v)
        ? undefined
        : 'must be an image reference (registry/name:tag)',
  },
  path: {
    check: v =>
      /^\/[^\s"'\\]*$/.test(v)
        ? undefined
        : 'must be an absolute path without spaces or quotes',
  },
  list: {
    list: true,
    items: v => splitList(v),
    check: v => {
      const bad = splitList(v).filter(item => !DNS_LABEL.test(item));
      return bad.length
        ? `has items that are not lowercase names: ${bad.join(', ')}`
        : undefined;
    },
  },
  crlist: {
    list: true,
    items: v => splitList(v),
    check: v => {
      const items = splitList(v);
      const errors = items
        .map(parseCustomResource)
        .filter(r => r.error)
        .map(r => r.error);
      const dupes = items.filter((item, i) => items.indexOf(item) !== i);
      if (dupes.length) errors.push(`lists ${dupes.join(', ')} more than once`);
      return errors.length ? errors.join('; ') : undefined;
    },
  },
};

function typeOf(spec) {
  if (spec.type.startsWith('enum:')) {
    const allowed = spec.type.slice('enum:'.length).split('|');
    return {
      check: v =>
        allowed.includes(v)
          ? undefined
          : `must be one of ${allowed.join(', ')}`,
    };
  }
  return TYPES[spec.type];
}

function customResources(values) {
  return splitList(values.POD_WATCH_CUSTOM_RESOURCES || '').map(
    item => parseCustomResource(item).value,
  );
}

/** Variables computed from declared ones; each lists the variables it reads. */
const DERIVED = {
  POD_WATCH_CUSTOM_RESOURCE_RULES: {
    from: ['POD_WATCH_CUSTOM_RESOURCES'],
    list: true,
    compute(values) {
      const byGroup = new Map();
      for (const cr of customResources(values)) {
        byGroup.set(cr.group, [...(byGroup.get(cr.group) || []), cr.plural]);
      }
      return [...byGroup.keys()].sort().map(group => ({
        apiGroups: [group],
        resources: [...new Set(byGroup.get(group))].sort(),
        verbs: ['get', 'list', 'watch'],
      }));
    },
  },
  POD_WATCH_CUSTOM_RESOURCES_CONFIG: {
    from: ['POD_WATCH_CUSTOM_RESOURCES'],
    list: true,
    compute: values => customResources(values),
  },
};

// ------------------------------------------------------------------ variable files

/** Parses k8s/.env.example: every KEY=VALUE with the tags of the comment block right above it. */
function parseSpec(text, file = '.env.example') {
  const specs = new Map();
  const problems = [];
  let comments = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') {
      comments = [];
      return;
    }
    if (line.startsWith('#')) {
      comments.push(line.replace(/^#\s?/, ''));
      return;
    }
    const entry = parseAssignment(line, `${file}:${index + 1}`);
    if (entry.error) {
      problems.push(entry.error);
      return;
    }
    const tags = comments.filter(c => c.startsWith('@'));
    const spec = {
      name: entry.name,
      default: entry.value,
      type: 'string',
      required: false,
      optional: false,
      secret: false,
      description: comments.filter(c => !c.startsWith('@')).join(' '),
      line: index + 1,
    };
    for (const tag of tags) {
      const [key, arg] = tag.split(/\s+/);
      if (key === '@required') spec.required = true;
      else if (key === '@optional') spec.optional = true;
      else if (key === '@secret') spec.secret = true;
      else if (key === '@type' && arg) spec.type = arg;
      else
        problems.push(
          `${file}:${index + 1}: unknown tag "${tag}" for ${entry.name}`,
        );
    }
    if (!typeOf(spec))
      problems.push(
        `${file}:${index + 1}: unknown type "${spec.type}" for ${entry.name}`,
      );
    if (spec.required && spec.optional)
      problems.push(
        `${file}:${index + 1}: ${entry.name} is both @required and @optional`,
      );
    if (specs.has(entry.name) || DERIVED[entry.name])
      problems.push(`${file}:${index + 1}: ${entry.name} declared twice`);
    specs.set(entry.name, spec);
    comments = [];
  });
  if (problems.length) throw new RenderError(problems);
  return specs;
}

/** One KEY=VALUE line in dotenv style: optional `export`, '...' literal, "..." with \n \" \\, or bare (# starts a comment). */
function parseAssignment(line, where) {
  const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(
    line,
  );
  if (!match) return { error: `${where}: expected NAME=value` };
  const [, name, rest] = match;
  let value;
  if (rest.startsWith("'")) {
    const end = rest.indexOf("'", 1);
    if (end < 0)
      return { error: `${where}: unterminated '...' value for ${name}` };
    value = rest.slice(1, end);
  } else if (rest.startsWith('"')) {
    let i = 1;
    value = '';
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\\' && i + 1 < rest.length) {
        i++;
        value += { n: '\n', t: '\t', r: '\r' }[rest[i]] ?? rest[i];
      } else {
        value += rest[i];
      }
    }
    if (i >= rest.length)
      return { error: `${where}: unterminated "..." value for ${name}` };
  } else {
    value = rest.replace(/(^|\s)#.*$/, '').trim();
  }
  return { name, value };
}

function parseEnvFile(text, file) {
  const entries = [];
  const problems = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const entry = parseAssignment(line, `${file}:${index + 1}`);
    if (entry.error) problems.push(entry.error);
    else entries.push({ ...entry, line: index + 1 });
  });
  if (problems.length) throw new RenderError(problems);
  return entries;
}

/** Values by name, with where each came from. */
function resolveValues(specs, envFiles, env) {
  const values = {};
  const sources = {};
  for (const spec of specs.values()) {
    values[spec.name] = spec.default;
    sources[spec.name] = 'default';
  }
  const problems = [];
  for (const { file, text } of envFiles) {
    for (const entry of parseEnvFile(text, file)) {
      if (!specs.has(entry.name)) {
        problems.push(
          `${file}:${entry.line}: unknown variable ${entry.name} (not declared in k8s/.env.example)`,
        );
        continue;
      }
      values[entry.name] = entry.value;
      sources[entry.name] = file;
    }
  }
  if (problems.length) throw new RenderError(problems);
  for (const name of specs.keys()) {
    if (env && env[name] !== undefined) {
      values[name] = env[name];
      sources[name] = 'environment';
    }
  }
  return { values, sources };
}

// ------------------------------------------------------------------ templates

const PLACEHOLDER = /\$(\$?)\{([^{}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUNTIME_REF = /^[A-Za-z_][A-Za-z0-9_]*(:-[^{}]*)?$/;
const LIST_ITEM_LINE = /^(\s*)- \$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*$/;

function templateName(file) {
  return path.basename(file, '.yaml').replace(/^[0-9]+-/, '');
}

function isSecretTemplate(file) {
  return templateName(file).endsWith('secret');
}

/** Names a template references, by line, without rendering it (for checks and required-ness). */
function scanTemplate(text, file) {
  const refs = [];
  const problems = [];
  text.split('\n').forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    if (line.replace(PLACEHOLDER, '').includes('${')) {
      problems.push(`${where}: unterminated placeholder`);
    }
    const listItem = LIST_ITEM_LINE.exec(line);
    for (const match of line.matchAll(PLACEHOLDER)) {
      const [, escaped, inner] = match;
      if (escaped) {
        if (!RUNTIME_REF.test(inner))
          problems.push(`${where}: malformed runtime reference $\${${inner}}`);
      } else if (!NAME.test(inner)) {
        problems.push(`${where}: malformed placeholder \${${inner}}`);
      } else {
        const context = listItem
          ? 'list-item'
          : quoteContext(line, match.index);
        refs.push({ name: inner, where, context });
      }
    }
  });
  return { refs, problems };
}

function listItems(name, specs, values) {
  if (DERIVED[name]) return DERIVED[name].compute(values);
  return typeOf(specs.get(name)).items(values[name]);
}

function isList(name, specs) {
  return DERIVED[name]
    ? DERIVED[name].list
    : Boolean(typeOf(specs.get(name)).list);
}

/**
 * The YAML quoting in effect at `offset` of a template line: 'double', 'single', 'comment' or
 * 'plain'. Good enough for templates (one line per scalar; a quote opens a scalar only after
 * a space or an indicator). Inside the ConfigMap's block scalar it reads the embedded YAML.
 */
function quoteContext(line, offset) {
  let state = 'plain';
  for (let i = 0; i < offset; i++) {
    const c = line[i];
    if (state === 'double') {
      if (c === '\\') i++;
      else if (c === '"') state = 'plain';
    } else if (state === 'single') {
      if (c === "'" && line[i + 1] === "'") i++;
      else if (c === "'") state = 'plain';
    } else {
      const before = i === 0 ? ' ' : line[i - 1];
      if (c === '#' && /\s/.test(before)) return 'comment';
      if ((c === '"' || c === "'") && /[\s[{,:-]/.test(before))
        state = c === '"' ? 'double' : 'single';
    }
  }
  return state;
}

/** Why a variable cannot go where a template put it, or undefined. */
function placementProblem(name, context, specs) {
  const list = isList(name, specs);
  if (list) {
    return context === 'plain' ||
      context === 'list-item' ||
      context === 'comment'
      ? undefined
      : `list variable \${${name}} must not be quoted (it renders as a YAML flow sequence)`;
  }
  if (context === 'plain' && specs.get(name).type === 'string') {
    return `string variable \${${name}} must be quoted ("\${${name}}" or '\${${name}}') so any value stays one YAML string`;
  }
  return undefined;
}

/** One value as text for its place in the template. */
function inline(name, context, specs, values) {
  if (isList(name, specs))
    return JSON.stringify(listItems(name, specs, values));
  const value = values[name];
  if (context === 'double') return JSON.stringify(value).slice(1, -1); // JSON escapes are YAML's too
  if (context === 'single') return value.replace(/'/g, "''");
  return value; // plain: only validated non-string types get here (placementProblem)
}

function renderTemplate(text, specs, values) {
  return text
    .split('\n')
    .flatMap(line => {
      const item = LIST_ITEM_LINE.exec(line);
      if (
        item &&
        (specs.has(item[2]) || DERIVED[item[2]]) &&
        isList(item[2], specs)
      ) {
        return listItems(item[2], specs, values).map(
          v => `${item[1]}- ${JSON.stringify(v)}`,
        );
      }
      return [
        line.replace(PLACEHOLDER, (_, escaped, inner, offset) =>
          escaped
            ? `\${${inner}}`
            : inline(inner, quoteContext(line, offset), specs, values),
        ),
      ];
    })
    .join('\n');
}

function listTemplates(templatesDir) {
  return fs
    .readdirSync(templatesDir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(f => path.join(templatesDir, f));
}

/**
 * Renders every template not skipped. Returns the rendered files (nothing is written) and the
 * resolved values. Throws RenderError listing every problem at once.
 */
function render(options = {}) {
  const examplePath = options.examplePath || DEFAULT_EXAMPLE;
  const templatesDir = options.templatesDir || DEFAULT_TEMPLATES;
  const skip = new Set(options.skip || []);
  const specs = parseSpec(
    fs.readFileSync(examplePath, 'utf8'),
    display(examplePath),
  );
  const envFiles = (options.envFiles || []).map(file => ({
    file: display(file),
    text: fs.readFileSync(file, 'utf8'),
  }));
  const { values, sources } = resolveValues(specs, envFiles, options.env);

  const templates = listTemplates(templatesDir);
  const known = new Set(templates.map(templateName));
  const unknownSkips = [...skip].filter(s => !known.has(s));
  if (unknownSkips.length) {
    throw new RenderError(
      `--skip ${unknownSkips.join(', ')}: no such template (have ${[
        ...known,
      ].join(', ')})`,
    );
  }
  const selected = templates.filter(t => !skip.has(templateName(t)));

  const problems = [];
  const used = new Set();
  const texts = new Map();
  for (const template of selected) {
    const rel = display(template);
    const text = fs.readFileSync(template, 'utf8');
    texts.set(template, text);
    const scan = scanTemplate(text, rel);
    problems.push(...scan.problems);
    for (const ref of scan.refs) {
      const names = DERIVED[ref.name] ? DERIVED[ref.name].from : [ref.name];
      if (!specs.has(ref.name) && !DERIVED[ref.name]) {
        problems.push(
          `${ref.where}: unknown variable \${${ref.name}} (declare it in k8s/.env.example, or write $\${${ref.name}} for a value Backstage reads from the environment at runtime)`,
        );
        continue;
      }
      const placement = placementProblem(ref.name, ref.context, specs);
      if (placement) problems.push(`${ref.where}: ${placement}`);
      if (
        ['single', 'comment'].includes(ref.context) &&
        /[\r\n]/.test(values[ref.name] ?? '')
      ) {
        problems.push(
          `${ref.where}: ${ref.name} contains a line break, which only a "double-quoted" placeholder can carry`,
        );
      }
      for (const name of names) {
        used.add(name);
        if (specs.get(name).secret && !isSecretTemplate(template)) {
          problems.push(
            `${ref.where}: secret variable ${name} may only be used in a *-secret.yaml template`,
          );
        }
      }
    }
  }
  for (const name of [...specs.keys()].filter(n => used.has(n))) {
    const spec = specs.get(name);
    const value = values[name];
    if (value === '') {
      if (!spec.optional) {
        problems.push(
          `missing required variable ${name}: set it in k8s/.env or the environment${
            spec.description ? `. ${name}: ${spec.description}` : ''
          }`,
        );
      }
      continue;
    }
    const error = typeOf(spec).check(value);
    if (error) {
      // Never echo a secret's value.
      problems.push(`${name}${spec.secret ? '' : `="${value}"`} ${error}`);
    }
  }
  if (problems.length) throw new RenderError(problems);

  const files = selected.map(template => {
    const name = path.basename(template);
    const body = renderTemplate(texts.get(template), specs, values);
    const header = `${RENDERED_MARKER} from k8s/templates/${name}: edit the template or your env file, not this file.\n`;
    return { name, content: header + body, secret: isSecretTemplate(template) };
  });
  return { files, values, sources, specs, used };
}

function writeRendered(files, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const entry of fs.readdirSync(outDir)) {
    const file = path.join(outDir, entry);
    if (!entry.endsWith('.yaml') || !fs.statSync(file).isFile()) continue;
    const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
    if (first.startsWith(RENDERED_MARKER)) fs.rmSync(file);
  }
  for (const file of files) {
    fs.writeFileSync(path.join(outDir, file.name), file.content, {
      mode: file.secret ? 0o600 : 0o644,
    });
  }
}

// ------------------------------------------------------------------ CLI

const USAGE = `usage: node k8s/render.js [--env-file FILE]... [--out DIR | --stdout] [--skip NAME]... [--no-env]

  --env-file FILE  variables (NAME=value lines); default k8s/.env when it exists; repeatable
  --out DIR        where to write the manifests (default k8s/rendered)
  --stdout         print one multi-document stream instead (e.g. | kubectl apply -f -)
  --skip NAME      leave a template out: namespace (deploy into an existing namespace),
                   postgres-secret (the Secret is managed elsewhere, e.g. External Secrets)
  --no-env         ignore environment variables (only the env files count)

Variables, defaults and types: k8s/.env.example. Guide: docs/deployment.md.`;

function parseArgs(argv) {
  const args = {
    envFiles: [],
    skip: [],
    out: undefined,
    stdout: false,
    useEnv: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length)
        throw new RenderError(`${arg} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (arg === '--env-file') args.envFiles.push(path.resolve(next()));
    else if (arg === '--out') args.out = path.resolve(next());
    else if (arg === '--skip') args.skip.push(next());
    else if (arg === '--stdout') args.stdout = true;
    else if (arg === '--no-env') args.useEnv = false;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else throw new RenderError(`unknown argument ${arg}\n${USAGE}`);
  }
  if (args.stdout && args.out)
    throw new RenderError('--stdout and --out exclude each other');
  if (args.envFiles.length === 0 && fs.existsSync(DEFAULT_ENV_FILE))
    args.envFiles.push(DEFAULT_ENV_FILE);
  return args;
}

function main(argv) {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const result = render({
      envFiles: args.envFiles,
      env: args.useEnv ? process.env : undefined,
      skip: args.skip,
    });
    const fromEnv = [...result.used]
      .filter(n => result.sources[n] === 'environment')
      .sort();
    const fromFiles = [...result.used].filter(
      n => !['default', 'environment'].includes(result.sources[n]),
    ).length;
    const where = args.stdout ? 'stdout' : display(args.out || DEFAULT_OUT);
    if (args.stdout) {
      process.stdout.write(
        result.files.map(f => f.content.replace(/\n*$/, '\n')).join('---\n'),
      );
    } else {
      writeRendered(result.files, args.out || DEFAULT_OUT);
    }
    process.stderr.write(
      `rendered ${
        result.files.length
      } manifests to ${where} (${fromFiles} values from ${
        args.envFiles.map(display).join(', ') || 'no env file'
      }${
        fromEnv.length ? `, from the environment: ${fromEnv.join(', ')}` : ''
      }${args.skip.length ? `; skipped ${args.skip.join(', ')}` : ''})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof RenderError) {
      process.stderr.write(`render.js: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

module.exports = {
  render,
  renderTemplate,
  writeRendered,
  parseSpec,
  parseEnvFile,
  scanTemplate,
  listTemplates,
  templateName,
  main,
  RenderError,
  RENDERED_MARKER,
  DERIVED,
};

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
