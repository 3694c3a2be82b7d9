import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import type { LogsQuery } from '@pod-watch/plugin-pod-watch-common';
import {
  entity,
  fakeApi,
  logEntry,
  pod,
  podsResponse,
  Providers,
} from '../../__testUtils__/fakeApi';
import { PodWatchApi } from '../../api';
import { EntityPodLogsContent } from './EntityPodLogsContent';

const ENTRIES = [
  logEntry('error', 'payment failed: connection refused'),
  logEntry('warning', 'slow response 2.3s'),
  logEntry('error', [
    'java.lang.OutOfMemoryError: Java heap space',
    '\tat shop.Cart.add(Cart.java:42)',
  ]),
  logEntry('info', 'GET /cart 200'),
  logEntry('info', 'GET /health 200'),
  logEntry('debug', 'cache hit'),
];

function api(overrides: Partial<PodWatchApi> = {}) {
  return fakeApi({
    getEntityPods: async () =>
      podsResponse([
        pod('checkout-a', 'failing'),
        pod('checkout-b', 'healthy'),
      ]),
    getLogs: jest.fn(async (q: LogsQuery) => ({
      items: ENTRIES.filter(
        e =>
          !q.q ||
          e.lines.some(l => l.toLowerCase().includes(q.q!.toLowerCase())),
      ),
    })),
    ...overrides,
  });
}

async function render(
  a: PodWatchApi,
  e = entity(),
  refreshIntervalMs?: number,
) {
  await renderInTestApp(
    <Providers api={a} entity={e}>
      <EntityPodLogsContent refreshIntervalMs={refreshIntervalMs} />
    </Providers>,
  );
}

const rows = () => screen.getAllByRole('listitem');

describe('EntityPodLogsContent', () => {
  it('tells the owner which annotation to add when none links a workload', async () => {
    await render(api(), entity({}));
    expect(
      screen.getByText('No Kubernetes workload is linked to this entity'),
    ).toBeInTheDocument();
  });

  it('counts entries per level and the error chip shows only error lines', async () => {
    await render(api());
    expect(
      await screen.findByRole('button', { name: 'Error (2)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Warning (1)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Exception (1)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Info (2)' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'All (6)' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(rows()).toHaveLength(6);

    await userEvent.click(screen.getByRole('button', { name: 'Error (2)' }));
    expect(rows()).toHaveLength(2);
    expect(rows().every(r => r.getAttribute('data-level') === 'error')).toBe(
      true,
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Exception (1)' }),
    );
    expect(rows()).toHaveLength(1);
    expect(within(rows()[0]).getByText(/OutOfMemoryError/)).toBeInTheDocument();
  });

  it('searches on the server and highlights matches', async () => {
    const a = api();
    await render(a);
    await screen.findByRole('button', { name: 'All (6)' });
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search logs' }),
      'payment',
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(a.getLogs).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'payment', fold: true }),
    );
    expect(screen.getByText('payment').tagName).toBe('MARK');
  });

  it('asks for previous-instance logs and a pod picked from the entity pods', async () => {
    const a = api();
    await render(a);
    await screen.findByRole('button', { name: 'All (6)' });
    await userEvent.click(
      screen.getByRole('button', { name: /Previous instance/ }),
    );
    await waitFor(() =>
      expect(a.getLogs).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: 'previous' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: /All pods/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'checkout-b' }),
    );
    await waitFor(() =>
      expect(a.getLogs).toHaveBeenLastCalledWith(
        expect.objectContaining({ pod: 'checkout-b' }),
      ),
    );
  });

  it('says when nothing was captured and shows an error when loading fails', async () => {
    await render(api({ getLogs: async () => ({ items: [] }) }));
    expect(await screen.findByText('No logs captured')).toBeInTheDocument();
  });

  it('shows an error panel when the logs cannot be loaded', async () => {
    await render(
      api({
        getLogs: async () => {
          throw new Error('logs unavailable');
        },
      }),
    );
    expect(
      (await screen.findAllByText(/logs unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('stops refreshing while paused', async () => {
    const a = api();
    await render(a, entity(), 40);
    await waitFor(() =>
      expect((a.getLogs as jest.Mock).mock.calls.length).toBeGreaterThanOrEqual(
        2,
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Pause auto-refresh' }),
    );
    const calls = (a.getLogs as jest.Mock).mock.calls.length;
    await new Promise(r => setTimeout(r, 150));
    expect((a.getLogs as jest.Mock).mock.calls.length).toBe(calls);
  });

  it('downloads the matching lines as a file', async () => {
    const downloadLogs = jest.fn(async () => new Blob(['x']));
    const createObjectURL = jest.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await render(api({ downloadLogs }));
    await screen.findByRole('button', { name: 'All (6)' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Download logs' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(downloadLogs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/checkout',
        source: 'live',
      }),
    );
    click.mockRestore();
  });
});
