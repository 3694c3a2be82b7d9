/** Memory of the current process after full garbage collections (needs --expose-gc). */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** V8 heap pages kept (used or not): part of RSS */
  heapTotal: number;
  /** memory of Buffers and other objects outside the V8 heap */
  external: number;
}

export async function sampleMemory(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start the process with --expose-gc');
  // several rounds with a turn of the event loop between them: finalizers and weak
  // references free more on the second pass
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise(resolve => setImmediate(resolve));
  }
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

/** reports use decimal megabytes, as the goals do */
export const MB = 1_000_000;
