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
