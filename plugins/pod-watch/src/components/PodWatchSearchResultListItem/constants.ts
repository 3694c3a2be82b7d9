/** Search result type of the Pod Watch collator's documents. @public */
export const POD_WATCH_SEARCH_TYPE = 'pod-watch';
