/**
 * Splits a byte stream into lines across arbitrary chunk boundaries (a watch event may arrive
 * in many chunks, many events in one chunk, a UTF-8 character split between two). Yields the
 * complete lines of each chunk together so callers can apply them as one batch. A trailing
 * partial line at the end of the stream is dropped: the connection was cut mid-event.
 */
export async function* readLineBatches(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let rest = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const text = rest + decoder.decode(value, { stream: true });
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      const lines = parts.filter(l => l.trim() !== '');
      if (lines.length > 0) yield lines;
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

/** Items read ahead, with when (epoch ms) the first and the last of their chunks arrived. */
export interface ArrivedBatch<T> {
  items: T[];
  firstArrivalMs: number;
  lastArrivalMs: number;
}

/**
 * Reads ahead of a slow consumer: a pump pulls batches from `source` while the consumer is
 * busy (writing the previous batch), and the consumer gets everything read meanwhile as one
 * batch. Under load batches grow and the store writes fewer, larger statements; at most
 * `maxBuffered` items are held. Arrival is stamped in the pump, not when the consumer gets to
 * it, so a consumer can tell when the data it trusts actually came in (observation gaps).
 * `onData` fires as data arrives (inactivity timers).
 */
export async function* readAhead<T>(
  source: AsyncIterable<T[]>,
  options: { maxBuffered?: number; onData?: () => void } = {},
): AsyncGenerator<ArrivedBatch<T>> {
  const maxBuffered = options.maxBuffered ?? 5000;
  const it = source[Symbol.asyncIterator]();
  let buffer: T[] = [];
  let firstArrivalMs = 0;
  let lastArrivalMs = 0;
  let done = false;
  let stopped = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const roomFreed = () =>
    new Promise<void>(r => {
      resume = r;
    });
  const dataArrived = () =>
    new Promise<void>(r => {
      wake = r;
    });
  const signalConsumer = () => {
    wake?.();
    wake = undefined;
  };
  const pump = async () => {
    try {
      while (!stopped) {
        while (buffer.length >= maxBuffered && !stopped) {
          await roomFreed();
        }
        if (stopped) break;
        const next = await it.next();
        if (next.done) break;
        options.onData?.();
        lastArrivalMs = Date.now();
        if (buffer.length === 0) firstArrivalMs = lastArrivalMs;
        for (const item of next.value) buffer.push(item);
        signalConsumer();
      }
    } catch (e) {
      if (!stopped) error = e;
    }
    done = true;
    signalConsumer();
  };
  void pump();
  try {
    for (;;) {
      if (buffer.length > 0) {
        const batch = { items: buffer, firstArrivalMs, lastArrivalMs };
        buffer = [];
        resume?.();
        resume = undefined;
        yield batch;
      } else if (done) {
        if (error) throw error;
        return;
      } else {
        await dataArrived();
      }
    }
  } finally {
    stopped = true;
    resume?.();
    // the pump may be inside next(): closing waits for it, so do not await (the caller
    // aborts the request, which ends the pending read)
    it.return?.(undefined)?.catch(() => undefined);
  }
}
