/**
 * Realistic payloads for the storage figures, read from the shared real-world fixtures (never
 * copied into the repo): log output of nine logging libraries, and pods from k9s's and
 * Headlamp's test data.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { fixturePath } from '@pod-watch/test-fixtures';
import type { KubeObject } from '@pod-watch/plugin-pod-watch-backend/src/watch/handlers/types';

const LOG_CORPORA = [
  'golang-logrus__sample-logrus-text',
  'golang-zap__sample-zap',
  'golang-zerolog-json__sample-zerolog-json',
  'java-log4j2-json__sample-log4j2-json',
  'java-logback__sample-logback-text',
  'js-ts-pino__sample-pino',
  'js-ts-winston__sample-winston',
  'python-loguru-json__sample-loguru-json',
  'python-structlog__sample-structlog',
];

/** Every non-empty line of the humanlog benchmark corpora (plain, JSON, stack traces). */
export function realLogLines(): string[] {
  return LOG_CORPORA.flatMap(name =>
    zlib
      .gunzipSync(
        fs.readFileSync(fixturePath(`logs/humanlog-benchmark/${name}.log.gz`)),
      )
      .toString('utf8')
      .split('\n')
      .filter(line => line.length > 0),
  );
}

/** Pod objects from other tools' test data: k9s's three test pods, Headlamp's eight story pods. */
export function realPods(): KubeObject[] {
  const read = (file: string) =>
    JSON.parse(fs.readFileSync(fixturePath(file), 'utf8'));
  return [
    read('pods/k9s/po.json'),
    read('pods/k9s/po_init.json'),
    read('pods/k9s/po_sidecar.json'),
    ...read('pods/headlamp/storyHelper.podList.json').items,
  ];
}
