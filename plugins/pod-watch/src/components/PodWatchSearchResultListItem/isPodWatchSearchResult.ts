import {
  POD_WATCH_INCIDENT_DOCUMENT_TYPE,
  POD_WATCH_WORKLOAD_DOCUMENT_TYPE,
} from '@pod-watch/plugin-pod-watch-common';

/** Whether a search result is one of the Pod Watch collator's documents. @public */
export function isPodWatchSearchResult(result: { type: string }): boolean {
  return (
    result.type === POD_WATCH_INCIDENT_DOCUMENT_TYPE ||
    result.type === POD_WATCH_WORKLOAD_DOCUMENT_TYPE
  );
}
