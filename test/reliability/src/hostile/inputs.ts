/**
 * Hostile but API-valid cluster content: annotations at the apiserver's 256 KiB limit, unicode
 * (RTL, emoji, combining marks) wherever Kubernetes allows free text, names and labels at their
 * length limits, a pod with hundreds of containers, Events with huge messages, and log lines
 * that have broken log pipelines (1 MiB, binary, NUL, ANSI, lone surrogates, 10k-line traces).
 */
import { ContainerLogs, KUBERNETES_ID, PodExtras, runningPod } from './capture';

export const NAMESPACE = 'hostile';
export const APP = 'hostile-app';

const RTL =
  '\u202e\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd\u202c';
const EMOJI = '👩‍👩‍👧‍👦🔥🚀🏳️‍🌈';
const ZALGO = 'Z̸̡͎̈́a̵̢̛l̷̨̈g̶͚̈o̴̞͝';

/** Annotations adding up to the apiserver's 256 KiB total, with unicode in every value. */
function hugeAnnotations(): Record<string, string> {
  const out: Record<string, string> = {};
  const unit = `${RTL}${EMOJI}${ZALGO}`;
  for (let i = 0; i < 4; i++) {
    out[`hostile.example.com/blob-${i}`] = unit
      .repeat(Math.floor((62 * 1024) / Buffer.byteLength(unit)))
      .slice(0, 60_000);
  }
  return out;
}

/** 253 characters, the longest valid pod name (a DNS subdomain). */
const LONGEST_NAME = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(
  62,
)}.${'d'.repeat(64)}`;

/** 63-character label value with every character class Kubernetes allows in one. */
const ODD_LABEL = `A-${'z_.9'.repeat(15)}Z`;

export interface HostilePod {
  pod: any;
  containers: ContainerLogs[];
}

function stackTrace(frames: number): string[] {
  const out = [
    'Exception in thread "main" java.lang.IllegalStateException: hostile',
  ];
  for (let i = 0; i < frames; i++) {
    out.push(`\tat com.example.Hostile.frame${i}(Hostile.java:${i + 1})`);
  }
  return out;
}

/** Log lines of the hostile container: each class named so failures say which one broke. */
export function hostileLogLines(quick: boolean): Record<string, string[]> {
  const binary = Array.from({ length: 4096 }, (_, i) =>
    String.fromCharCode((i * 7919) % 256),
  )
    .join('')
    .replace(/[\n\r]/g, ' ');
  return {
    'one MiB line': [`start ${'x'.repeat(1024 * 1024)} end`],
    'binary garbage': [binary, binary.split('').reverse().join('')],
    'lone surrogates': ['a\ud800b', '\udc00 at start', `end \ud83d`],
    'NUL bytes': [
      'a\u0000b',
      '\u0000\u0000\u0000',
      `x${'\u0000'.repeat(100)}y`,
    ],
    'ANSI escapes': [
      '\u001b[31mERROR\u001b[0m red alert',
      '\u001b]0;title\u0007\u001b[2J\u001b[H cleared',
      '\u001b[38;5;196m\u001b[1mbold\u001b[22m',
    ],
    unicode: [
      `${RTL} ${EMOJI} ${ZALGO}`,
      '\ufeffBOM',
      '\u2028\u2029 separators',
    ],
    'stack trace': stackTrace(quick ? 2_000 : 10_000),
  };
}

/** The hostile pods of one run (labelled for the test entity). */
export function hostilePods(quick: boolean): HostilePod[] {
  const labels = { [KUBERNETES_ID]: APP };
  const make = (
    name: string,
    containers: ContainerLogs[],
    extra: PodExtras = {},
  ): HostilePod => ({
    pod: runningPod(NAMESPACE, name, containers, {
      labels: { ...labels, ...extra.labels },
      annotations: extra.annotations,
    }),
    containers,
  });
  const logs = Object.values(hostileLogLines(quick)).flat();
  const many = quick ? 150 : 400;
  return [
    make('annotated', [{ name: 'app', lines: ['ok'] }], {
      annotations: hugeAnnotations(),
    }),
    make(LONGEST_NAME, [{ name: 'app', lines: ['longest name'] }], {
      labels: {
        [`${'p'.repeat(200)}.example.com/${'k'.repeat(63)}`]: ODD_LABEL,
        'x.y/z': '',
      },
    }),
    make('0', [{ name: 'a', lines: ['single-character name'] }]),
    make('logs', [{ name: 'app', lines: logs }]),
    make(
      'many-containers',
      Array.from({ length: many }, (_, i) => ({
        name: `c-${i}`,
        lines: [`container ${i} of ${many}`],
      })),
    ),
  ];
}

/** Warning Events about the pods: huge, unicode and control-character messages. */
export function hostileEvents(pods: any[], quick: boolean): any[] {
  const messages = [
    `huge ${'m'.repeat(quick ? 256 * 1024 : 1024 * 1024)}`,
    `${RTL} ${EMOJI} ${ZALGO}`,
    'nul \u0000 and lone \ud800 surrogate',
    '\u001b[31mansi\u001b[0m',
  ];
  const now = new Date().toISOString();
  return pods.flatMap((pod, p) =>
    messages.map((message, m) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${pod.metadata.name.slice(0, 200)}.hostile-${p}-${m}`,
        namespace: NAMESPACE,
      },
      involvedObject: {
        kind: 'Pod',
        namespace: NAMESPACE,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
      },
      reason: `Hostile${m}`,
      message,
      type: 'Warning',
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'reliability' },
    })),
  );
}
