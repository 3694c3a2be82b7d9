import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { ClusterConnectionTestResponse } from '@pod-watch/plugin-pod-watch-common';
import { Request } from 'express';
import type { PodWatchStore } from '../store';
import { EntityAccess } from './entityAccess';

/** Live connection test of one configured cluster (the clusters module implements it). */
export type ClusterConnectionTester = (
  cluster: string,
) => Promise<ClusterConnectionTestResponse | undefined>;

/** What every route group needs. */
export interface RouteContext {
  store: PodWatchStore;
  access: EntityAccess;
  permissions: PermissionsService;
  logger: LoggerService;
  /** The caller: a Backstage user or service (the httpRouter already rejected anonymous calls). */
  credentials(req: Request): ReturnType<HttpAuthService['credentials']>;
  testConnection?: ClusterConnectionTester;
}
