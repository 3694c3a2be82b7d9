import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';

/** The backend plugin's own version, as published in its package.json. */
export function pluginVersion(): string {
  const file = resolvePackagePath(
    '@pod-watch/plugin-pod-watch-backend',
    'package.json',
  );
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}
