/**
 * Bundles page.tsx for the browser with esbuild in production mode (React's production build,
 * minified), like a deployed Backstage app's code, in seconds instead of a full webpack build.
 */
import path from 'node:path';
import { build } from 'esbuild';

export async function bundlePage(): Promise<{ js: string; ms: number }> {
  const t0 = Date.now();
  const result = await build({
    // the benchmark runs from source (tsx), never from a production build
    // eslint-disable-next-line no-restricted-syntax
    entryPoints: [path.join(__dirname, 'page.tsx')],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'globalThis',
    },
    // libraries that read other process.env keys get an empty env, as webpack's app build gives
    banner: { js: 'var process = { env: { NODE_ENV: "production" } };' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl' },
    logLevel: 'error',
  });
  return { js: result.outputFiles[0].text, ms: Date.now() - t0 };
}
