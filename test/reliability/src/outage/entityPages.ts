/** What an entity page asks the backend for: its pods (with sync status) and its incidents. */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageAnswer {
  status: number;
  body: any;
}

export function entityPages(server: Server, entityRef: string) {
  const base = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/pod-watch`;
  const get = async (path: string): Promise<PageAnswer> => {
    const res = await fetch(`${base}${path}`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    return {
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
  };
  const ref = encodeURIComponent(entityRef);
  return {
    pods: () => get(`/pods?entityRef=${ref}`),
    incidents: () => get(`/incidents?entityRef=${ref}`),
  };
}
