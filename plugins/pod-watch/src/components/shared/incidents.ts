import {
  incidentTitle,
  type IncidentItem,
  type IncidentType,
} from '@pod-watch/plugin-pod-watch-common';
import { formatDuration } from './format';

/** The common package's title of an incident type, capitalised; unknown types as sent. */
export function incidentTypeLabel(type: string): string {
  const title = incidentTitle(type as IncidentType) ?? type;
  return title.charAt(0).toLocaleUpperCase() + title.slice(1);
}

/** How long an incident lasted (or has lasted, while open). */
export function incidentDuration(
  incident: IncidentItem,
  now = Date.now(),
): string {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return formatDuration(Math.max(0, end - Date.parse(incident.openedAt)));
}

/** Where the incident happened: workload, pod and container as far as known. */
export function incidentSubject(incident: IncidentItem): string {
  const parts = [
    incident.workloadKind && incident.workloadName
      ? `${incident.workloadKind}/${incident.workloadName}`
      : undefined,
    incident.podName ? `pod ${incident.podName}` : undefined,
    incident.container ? `container ${incident.container}` : undefined,
  ].filter(Boolean);
  return parts.join(' · ') || incident.namespace || '—';
}
