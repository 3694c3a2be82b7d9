import { createRouteRef } from '@backstage/core-plugin-api';

/** The "Pod health" entity tab. */
export const rootRouteRef = createRouteRef({ id: 'pod-watch' });

/** The "Logs" entity tab. */
export const logsRouteRef = createRouteRef({ id: 'pod-watch-logs' });

/** The "Incidents" entity tab. */
export const incidentsRouteRef = createRouteRef({ id: 'pod-watch-incidents' });
