import {
  podWatchIncidentsReadPermission,
  podWatchPodsReadPermission,
  POD_WATCH_INCIDENT_DOCUMENT_TYPE,
  POD_WATCH_WORKLOAD_DOCUMENT_TYPE,
} from '@pod-watch/plugin-pod-watch-common';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { Readable } from 'node:stream';
import { PodWatchDocumentSource } from './PodWatchDocumentSource';

/**
 * Collates incidents. Results are filtered by `podwatch.incidents.read` on each document's
 * entity (`authorization.resourceRef`), the same decision as the incidents tab.
 */
export class PodWatchIncidentCollatorFactory
  implements DocumentCollatorFactory
{
  readonly type = POD_WATCH_INCIDENT_DOCUMENT_TYPE;
  readonly visibilityPermission = podWatchIncidentsReadPermission;

  constructor(private readonly source: PodWatchDocumentSource) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.source.incidentDocuments());
  }
}

/** Collates workloads with their health, filtered by `podwatch.pods.read`. */
export class PodWatchWorkloadCollatorFactory
  implements DocumentCollatorFactory
{
  readonly type = POD_WATCH_WORKLOAD_DOCUMENT_TYPE;
  readonly visibilityPermission = podWatchPodsReadPermission;

  constructor(private readonly source: PodWatchDocumentSource) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.source.workloadDocuments());
  }
}
