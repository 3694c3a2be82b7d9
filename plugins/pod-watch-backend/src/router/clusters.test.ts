import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { applyMigrations } from '../database/migrations';
import { PodWatchStore } from '../store';
import { ClusterConnectionTester } from './context';
import { createRouter } from './createRouter';

describe('POST /clusters/:cluster/test', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function app(testConnection?: ClusterConnectionTester) {
    const knex = await databases.init('SQLITE_3');
    await applyMigrations(knex);
    const router = await createRouter({
      knex,
      version: '0.0.0',
      store: await PodWatchStore.create(knex),
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions.mock({
        authorize: async reqs =>
          reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
      }),
      catalog: catalogServiceMock(),
      testConnection,
    });
    return express().use(router);
  }

  it('answers the outcome and nothing else the tester may know', async () => {
    const server = await app(async name =>
      name === 'prod'
        ? ({
            cluster: 'prod',
            ok: false,
            latencyMs: 12,
            error: 'connection error: ECONNREFUSED',
            // a careless tester: must not reach the caller
            url: 'https://10.0.0.1:6443',
            token: 'eyJhbGciOi...',
          } as any)
        : undefined,
    );
    const res = await request(server).post('/clusters/prod/test');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cluster: 'prod',
      ok: false,
      latencyMs: 12,
      error: 'connection error: ECONNREFUSED',
    });
    expect((await request(server).post('/clusters/dev/test')).status).toBe(404);
  });

  it('answers 501 without a tester', async () => {
    const res = await request(await app()).post('/clusters/prod/test');
    expect(res.status).toBe(501);
    expect(res.body.error.name).toBe('NotImplementedError');
  });
});
