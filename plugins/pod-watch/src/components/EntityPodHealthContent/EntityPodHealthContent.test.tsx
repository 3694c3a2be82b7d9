import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import {
  ago,
  entity,
  fakeApi,
  pod,
  podsResponse,
  Providers,
} from '../../__testUtils__/fakeApi';
import { PodWatchApi } from '../../api';
import { EntityPodHealthContent } from './EntityPodHealthContent';

async function render(
  api: PodWatchApi,
  e = entity(),
  refreshIntervalMs?: number,
) {
  await renderInTestApp(
    <Providers api={api} entity={e}>
      <EntityPodHealthContent refreshIntervalMs={refreshIntervalMs} />
    </Providers>,
  );
}

const PODS = [
  pod('checkout-healthy', 'healthy'),
  pod('checkout-init', 'initializing'),
  pod('checkout-crash', 'failing'),
  pod('checkout-slow', 'degraded', { cluster: 'prod', namespace: 'shop-eu' }),
];

describe('EntityPodHealthContent', () => {
  it('tells the owner which annotation to add when none links a workload', async () => {
    const getEntityPods = jest.fn();
    await render(fakeApi({ getEntityPods }), entity({}));
    expect(
      screen.getByText('No Kubernetes workload is linked to this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/backstage.io\/kubernetes-id:/),
    ).toBeInTheDocument();
    expect(getEntityPods).not.toHaveBeenCalled();
  });

  it('shows progress while loading and an error panel when the first load fails', async () => {
    let reject: (e: Error) => void = () => {};
    await render(
      fakeApi({
        getEntityPods: () =>
          new Promise((_, r) => {
            reject = r;
          }),
      }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    reject(new Error('backend down'));
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('says so when no pod matches the selector', async () => {
    await render(fakeApi({ getEntityPods: async () => podsResponse([]) }));
    expect(await screen.findByText('No pods found')).toBeInTheDocument();
    expect(
      screen.getByText(/backstage.io\/kubernetes-id=checkout/),
    ).toBeInTheDocument();
  });

  it('lists pods by workload with the failing pod first, replica counts and the top issue', async () => {
    await render(fakeApi({ getEntityPods: async () => podsResponse(PODS) }));
    const rows = await screen.findAllByTestId('pod-row');
    expect(rows.map(r => r.getAttribute('data-health'))).toEqual([
      'failing',
      'initializing',
      'healthy',
      'degraded',
    ]);
    expect(within(rows[0]).getByText('checkout-crash')).toBeInTheDocument();
    expect(within(rows[0]).getByText('OOMKilled')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('Killed: memory limit 128Mi'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('last 2m ago')).toBeInTheDocument();
    expect(
      screen.getByText(/3 desired \/ 2 ready \/ 2 available/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Failing: 1' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/dev · collected \d+s ago/)).toBeInTheDocument();
  });

  it('filters by health and by cluster', async () => {
    await render(fakeApi({ getEntityPods: async () => podsResponse(PODS) }));
    await screen.findAllByTestId('pod-row');
    await userEvent.click(screen.getByRole('button', { name: 'Failing: 1' }));
    expect(screen.getByRole('button', { name: 'Failing: 1' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getAllByTestId('pod-row')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Failing: 1' }));
    expect(screen.getAllByTestId('pod-row')).toHaveLength(4);

    await userEvent.click(screen.getByRole('button', { name: /Cluster/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'prod' }));
    const rows = screen.getAllByTestId('pod-row');
    expect(rows).toHaveLength(1);
    expect(within(rows[0]).getByText('checkout-slow')).toBeInTheDocument();
  });

  it('shows the last data with its age when a cluster is unreachable', async () => {
    await render(
      fakeApi({
        getEntityPods: async () =>
          podsResponse(PODS, {
            clusters: [
              {
                cluster: 'dev',
                status: 'error',
                lastSeenAt: ago(900),
                lastError: 'connect ECONNREFUSED',
                kinds: [],
              },
            ],
          }),
      }),
    );
    expect(
      await screen.findByText(/Cluster dev is unreachable/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/showing its data from 15m ago/),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('pod-row')).toHaveLength(4);
  });

  it('refreshes on its interval until paused', async () => {
    const getEntityPods = jest.fn(async () => podsResponse(PODS));
    await render(fakeApi({ getEntityPods }), entity(), 40);
    await waitFor(() =>
      expect(getEntityPods.mock.calls.length).toBeGreaterThanOrEqual(2),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Pause auto-refresh' }),
    );
    expect(screen.getByText(/Auto-refresh paused/)).toBeInTheDocument();
    const calls = getEntityPods.mock.calls.length;
    await new Promise(r => setTimeout(r, 150));
    expect(getEntityPods.mock.calls.length).toBe(calls);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() =>
      expect(getEntityPods.mock.calls.length).toBe(calls + 1),
    );
  });

  it('opens a pod detail drawer with containers, Events, serving and previous logs', async () => {
    const api = fakeApi({
      getEntityPods: async () => podsResponse(PODS),
      getPodDetail: async () => ({
        pod: PODS[2],
        containers: [
          {
            name: 'app',
            type: 'app',
            image: 'shop/checkout:1.2',
            ready: false,
            state: 'waiting',
            reason: 'CrashLoopBackOff',
            restarts: 5,
            lastTermination: {
              reason: 'OOMKilled',
              exitCode: 137,
              finishedAt: ago(120),
            },
          },
        ],
        events: [
          {
            id: 1,
            cluster: 'dev',
            namespace: 'shop',
            name: 'e1',
            type: 'Warning',
            reason: 'BackOff',
            message: 'Back-off restarting failed container',
            regarding: {},
            count: 12,
            firstAt: ago(600),
            lastAt: ago(30),
          },
        ],
        eventsTotal: 1,
        serving: [
          {
            service: 'checkout',
            slice: 's1',
            ip: '10.0.0.5',
            ready: false,
            serving: false,
            firstSeenAt: ago(600),
            lastSeenAt: ago(5),
          },
        ],
        ownerChain: [
          { kind: 'ReplicaSet', name: 'checkout-7d9' },
          { kind: 'Deployment', name: 'checkout' },
        ],
      }),
      getLogs: async q => {
        expect(q.source).toBe('previous');
        return {
          items: [
            {
              id: 1,
              at: ago(130),
              level: 'error',
              exception: false,
              lines: ['fatal: out of memory'],
              cluster: 'dev',
              namespace: 'shop',
              pod: 'checkout-crash',
              podUid: 'uid-checkout-crash',
              container: 'app',
              instance: 4,
              source: 'previous',
            },
          ],
        };
      },
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Details of pod checkout-crash',
      }),
    );
    const drawer = await screen.findByRole('region', {
      name: 'Pod checkout-crash',
    });
    expect(
      await within(drawer).findByText(/OOMKilled \(exit 137\)/),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByText('Back-off restarting failed container'),
    ).toBeInTheDocument();
    expect(within(drawer).getByText('12')).toBeInTheDocument();
    expect(within(drawer).getByText('10.0.0.5')).toBeInTheDocument();
    expect(
      within(drawer).getByText(/fatal: out of memory/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close pod details' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'Pod checkout-crash' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('shows only the workload a search result links to (?workload=) until cleared', async () => {
    const pods = [
      ...PODS,
      pod('worker-1', 'healthy', {
        workload: { kind: 'Deployment', name: 'worker' },
      }),
    ];
    window.history.pushState(
      {},
      '',
      '/catalog/default/component/checkout/pod-watch?workload=Deployment%2Fworker',
    );
    try {
      await render(fakeApi({ getEntityPods: async () => podsResponse(pods) }));
      const rows = await screen.findAllByTestId('pod-row');
      expect(rows).toHaveLength(1);
      expect(within(rows[0]).getByText('worker-1')).toBeInTheDocument();
      const chip = screen.getByRole('button', {
        name: /Showing workload Deployment\/worker only/,
      });
      await userEvent.type(chip, '{backspace}');
      expect(screen.getAllByTestId('pod-row')).toHaveLength(5);
    } finally {
      window.history.pushState({}, '', '/');
    }
  });
});
