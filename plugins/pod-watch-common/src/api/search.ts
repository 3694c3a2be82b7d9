/**
 * Search document types of `@pod-watch/plugin-search-backend-module-pod-watch`, for the
 * frontend's search result item. Field values are plain strings so every search engine indexes
 * them.
 */

/**
 * Document type of incidents.
 *
 * @public
 */
export const POD_WATCH_INCIDENT_DOCUMENT_TYPE = 'pod-watch-incident';

/**
 * Document type of workloads.
 *
 * @public
 */
export const POD_WATCH_WORKLOAD_DOCUMENT_TYPE = 'pod-watch-workload';

/**
 * Fields every Pod Watch search document has (besides IndexableDocument's title, text,
 * location and authorization).
 *
 * @public
 */
export interface PodWatchDocumentBase {
  title: string;
  text: string;
  location: string;
  /** the entity the document belongs to; search results are filtered by read access to it */
  authorization: { resourceRef: string };
  entityRef: string;
  entityTitle: string;
  cluster: string;
  namespace: string;
}

/**
 * An incident in the search index.
 *
 * @public
 */
export interface PodWatchIncidentDocument extends PodWatchDocumentBase {
  incidentId: number;
  /** e.g. `OOMKilled` */
  incidentType: string;
  severity: string;
  status: string;
  workload: string;
  pod: string;
  container: string;
  images: string;
  openedAt: string;
  lastSeenAt: string;
}

/**
 * A workload with its health in the search index.
 *
 * @public
 */
export interface PodWatchWorkloadDocument extends PodWatchDocumentBase {
  kind: string;
  name: string;
  health: string;
  pods: number;
  images: string;
  /** the worst pod's top issue reason, if any */
  issue: string;
}
