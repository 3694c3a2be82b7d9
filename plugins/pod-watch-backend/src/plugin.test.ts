import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { podWatchPlugin } from './plugin';

describe('podWatchPlugin', () => {
  it('serves /health without credentials and reports applied migrations', async () => {
    const { server } = await startTestBackend({ features: [podWatchPlugin] });

    const res = await request(server)
      .get('/api/pod-watch/health')
      .set('Authorization', '');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      database: { status: 'ok', migrations: { pending: 0 } },
    });
    expect(res.body.database.migrations.applied).toBeGreaterThan(0);
  });

  it('rejects unauthenticated calls to any other route', async () => {
    const { server } = await startTestBackend({ features: [podWatchPlugin] });

    const res = await request(server)
      .get('/api/pod-watch/anything')
      .set('Authorization', 'Bearer mock-none-token');

    expect(res.status).toBe(401);
  });
});
