/**
 * Page-side timing: the moment a condition on the DOM first holds, taken after the frame that
 * shows it (rAF runs before the paint, the macrotask queued from it after), so "ready" means
 * painted, not just committed by React.
 */
export function untilPainted(condition: () => boolean): Promise<number> {
  return new Promise(resolve => {
    const painted = () =>
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
    if (condition()) {
      painted();
      return;
    }
    // checked per mutation batch: React commits a render as one batch
    const observer = new MutationObserver(() => {
      if (!condition()) return;
      observer.disconnect();
      painted();
    });
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
    });
  });
}
