/** What the store holds after a hostile run, compared with what the simulator served. */
import { redactSecrets } from '@pod-watch/plugin-pod-watch-common';
import { LOG_LINE_BYTES } from '@pod-watch/plugin-pod-watch-backend/src/store/logs';
import { safeText } from '@pod-watch/plugin-pod-watch-backend/src/store/safeText';
import { Knex } from 'knex';

/** What the capture path must store for a line the container wrote (UTF-8 on the wire). */
export function expectedStoredLine(written: string): string {
  const onTheWire = Buffer.from(written, 'utf8').toString('utf8');
  return safeText(redactSecrets(onTheWire), LOG_LINE_BYTES) ?? '';
}

/** Stored log lines of one container, in capture order. */
export async function storedLines(
  knex: Knex,
  cluster: string,
  podName: string,
  container: string,
): Promise<string[]> {
  const rows = await knex('log_lines')
    .where({ cluster, pod_name: podName, container })
    .orderBy('id')
    .select('text');
  return rows.map((r: { text: string }) => r.text);
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text values of a table's rows that hold NUL, lone surrogates or exceed `maxBytes`. */
export async function unsafeText(
  knex: Knex,
  table: string,
  column: string,
  where: Record<string, unknown>,
  maxBytes: number,
): Promise<string[]> {
  const rows = await knex(table).where(where).select(column);
  const bad: string[] = [];
  for (const row of rows) {
    const v = row[column];
    if (typeof v !== 'string') continue;
    if (v.includes('\u0000')) bad.push(`${table}.${column}: NUL`);
    else if (LONE_SURROGATE.test(v))
      bad.push(`${table}.${column}: lone surrogate`);
    else if (Buffer.byteLength(v) > maxBytes)
      bad.push(
        `${table}.${column}: ${Buffer.byteLength(v)} bytes > ${maxBytes}`,
      );
  }
  return bad;
}
