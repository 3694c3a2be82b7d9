import { createRouteRef } from '@backstage/core-plugin-api';

/** The Pod Watch entity tab. */
export const rootRouteRef = createRouteRef({ id: 'pod-watch' });
