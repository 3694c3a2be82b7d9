import path from 'node:path';

/** The repository root (this package lives in test/k8s). */
export const repoRoot = path.resolve(
  path.dirname(require.resolve('@pod-watch/k8s-manifests-test/package.json')),
  '../..',
);

export interface RenderedFile {
  name: string;
  content: string;
  secret: boolean;
}

export interface VariableSpec {
  name: string;
  default: string;
  type: string;
  required: boolean;
  optional: boolean;
  secret: boolean;
  description: string;
}

export interface RenderOptions {
  examplePath?: string;
  templatesDir?: string;
  envFiles?: string[];
  env?: Record<string, string | undefined>;
  skip?: string[];
}

export interface RenderResult {
  files: RenderedFile[];
  values: Record<string, string>;
  sources: Record<string, string>;
  specs: Map<string, VariableSpec>;
  used: Set<string>;
}

/** The plain-JS renderer in k8s/render.js, typed for the tests. */
export interface Renderer {
  render(options?: RenderOptions): RenderResult;
  writeRendered(files: RenderedFile[], outDir: string): void;
  parseSpec(text: string, file?: string): Map<string, VariableSpec>;
  scanTemplate(
    text: string,
    file: string,
  ): { refs: { name: string; where: string }[]; problems: string[] };
  listTemplates(templatesDir: string): string[];
  templateName(file: string): string;
  RenderError: new (problems: string | string[]) => Error & {
    problems: string[];
  };
  RENDERED_MARKER: string;
  DERIVED: Record<string, { from: string[] }>;
}

// k8s/render.js is a dependency-free CommonJS script on purpose (it runs without a yarn install).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const renderer: Renderer = require(path.join(repoRoot, 'k8s/render.js'));
