/**
 * Readers for the incident evidence the backend stores (`IncidentDetailResponse.evidence` is
 * `unknown` in the API): only the parts the detail view shows, checked field by field.
 */

export interface ServingImpact {
  service: string;
  podReady?: boolean;
  readyEndpoints: number;
  totalEndpoints: number;
  lostReadyEndpoints: boolean;
}

export interface EvidenceLogLine {
  at: string;
  pod: string;
  container: string;
  instance: number;
  source: string;
  level: string;
  text: string;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function array(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function servingImpact(evidence: unknown): ServingImpact[] {
  return array(record(evidence)?.serving).flatMap(s => {
    const r = record(s);
    if (!r || typeof r.service !== 'string') return [];
    return [
      {
        service: r.service,
        podReady: typeof r.podReady === 'boolean' ? r.podReady : undefined,
        readyEndpoints: Number(r.readyEndpoints) || 0,
        totalEndpoints: Number(r.totalEndpoints) || 0,
        lostReadyEndpoints: r.lostReadyEndpoints === true,
      },
    ];
  });
}

/** Log lines captured with the incident (error lines first, then the tail before it). */
export function capturedLogs(evidence: unknown): EvidenceLogLine[] {
  const logs = record(record(evidence)?.logs);
  const lines = [...array(logs?.errorLines), ...array(logs?.tail)];
  const seen = new Set<string>();
  return lines.flatMap(l => {
    const r = record(l);
    if (!r || typeof r.text !== 'string') return [];
    const key = `${r.at}|${r.text}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      {
        at: String(r.at ?? ''),
        pod: String(r.pod ?? ''),
        container: String(r.container ?? ''),
        instance: Number(r.instance) || 0,
        source: String(r.source ?? 'live'),
        level: String(r.level ?? 'unknown'),
        text: r.text,
      },
    ];
  });
}
