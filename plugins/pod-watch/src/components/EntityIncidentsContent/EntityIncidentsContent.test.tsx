import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import type {
  IncidentItem,
  IncidentsQuery,
} from '@pod-watch/plugin-pod-watch-common';
import {
  ago,
  entity,
  fakeApi,
  incident,
  Providers,
} from '../../__testUtils__/fakeApi';
import { PodWatchApi } from '../../api';
import { EntityIncidentsContent } from './EntityIncidentsContent';

const OPEN = incident(7, { recurrenceOf: 3 });
const RESOLVED = Array.from({ length: 12 }, (_, n) =>
  incident(100 + n, {
    type: n % 2 ? 'crash-loop' : 'image-pull',
    status: 'resolved',
    severity: 'medium',
    summary: `resolved incident ${n}`,
    openedAt: ago(86400 * (n + 1)),
    resolvedAt: ago(86400 * (n + 1) - 600),
  }),
);

function page(items: IncidentItem[], q: IncidentsQuery) {
  const matching = items.filter(
    i =>
      (!q.status || q.status.includes(i.status)) &&
      (!q.type || q.type.includes(i.type)),
  );
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 100;
  return {
    items: matching.slice(offset, offset + limit),
    total: matching.length,
    hasMore: offset + limit < matching.length,
    limit,
    offset,
  };
}

function api(overrides: Partial<PodWatchApi> = {}) {
  return fakeApi({
    getIncidents: jest.fn(async (q: IncidentsQuery) =>
      page([OPEN, ...RESOLVED], q),
    ),
    getIncident: async id => ({
      incident: id === 7 ? OPEN : RESOLVED[0],
      evidence: {
        serving: [
          {
            service: 'checkout',
            podReady: false,
            readyEndpoints: 1,
            totalEndpoints: 2,
            lostReadyEndpoints: true,
          },
        ],
        logs: {
          errorLines: [
            {
              at: ago(7300),
              pod: 'checkout-a',
              container: 'app',
              instance: 2,
              source: 'previous',
              level: 'error',
              text: 'java.lang.OutOfMemoryError: Java heap space',
            },
          ],
          tail: [],
        },
      },
      events: [
        {
          id: 1,
          cluster: 'dev',
          name: 'e',
          type: 'Warning',
          reason: 'OOMKilling',
          message: 'Memory cgroup out of memory',
          regarding: {},
          count: 3,
          firstAt: ago(7200),
          lastAt: ago(60),
        },
      ],
      logs: [],
      changes: [
        {
          id: 1,
          cluster: 'dev',
          objectUid: 'd',
          kind: 'Deployment',
          name: 'checkout',
          verb: 'update',
          resourceVersion: '9',
          at: ago(7500),
          diff: {
            'spec.template.spec.containers[0].resources.limits.memory': [
              '256Mi',
              '128Mi',
            ],
          },
        },
      ],
    }),
    ...overrides,
  });
}

async function render(a: PodWatchApi, e = entity()) {
  await renderInTestApp(
    <Providers api={a} entity={e}>
      <EntityIncidentsContent />
    </Providers>,
  );
}

describe('EntityIncidentsContent', () => {
  it('tells the owner which annotation to add when none links a workload', async () => {
    await render(api(), entity({}));
    expect(
      screen.getByText('No Kubernetes workload is linked to this entity'),
    ).toBeInTheDocument();
  });

  it('says when there are no incidents at all', async () => {
    await render(api({ getIncidents: async q => page([], q) }));
    expect(await screen.findByText('No incidents')).toBeInTheDocument();
  });

  it('shows open incidents first, a timeline by type and paged history', async () => {
    await render(api());
    const open = await screen.findByRole('table', { name: 'Open incidents' });
    expect(within(open).getByText('OOMKilled')).toBeInTheDocument();
    expect(within(open).getByText('recurs #3')).toBeInTheDocument();
    const rows = await screen.findAllByTestId('incident-row');
    expect(rows[0]).toHaveAttribute('data-status', 'open');
    expect(
      screen.getByRole('img', { name: /13 incidents of 3 types/ }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('timeline-row')).toHaveLength(3);

    const history = screen.getByRole('table', { name: 'Resolved incidents' });
    expect(within(history).getAllByTestId('incident-row')).toHaveLength(10);
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'Resolved incidents' }),
        ).getAllByTestId('incident-row'),
      ).toHaveLength(2),
    );
  });

  it('filters by type', async () => {
    const a = api();
    await render(a);
    await screen.findByRole('table', { name: 'Open incidents' });
    await userEvent.click(screen.getByRole('button', { name: /All types/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Crash loop' }),
    );
    await waitFor(() =>
      expect(screen.getByText('No open incidents.')).toBeInTheDocument(),
    );
    expect(a.getIncidents).toHaveBeenCalledWith(
      expect.objectContaining({ type: ['crash-loop'], status: ['resolved'] }),
    );
  });

  it('opens the detail with evidence: Events, captured logs, changes, root-cause hint and serving impact', async () => {
    await render(api());
    const open = await screen.findByRole('table', { name: 'Open incidents' });
    await userEvent.click(
      within(open).getByRole('button', { name: 'OOMKilled' }),
    );
    const drawer = await screen.findByRole('region', { name: 'Incident 7' });
    expect(
      await within(drawer).findByText('Memory limit 128Mi is too low'),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByText('Memory cgroup out of memory'),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByText(/java.lang.OutOfMemoryError: Java heap space/),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByText('update Deployment/checkout'),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByText(
        /Service checkout: 1 of 2 endpoints ready; this pod was not serving/,
      ),
    ).toBeInTheDocument();
    expect(within(drawer).getByText('recurs incident #3')).toBeInTheDocument();
  });

  it('shows an error when incidents cannot be loaded', async () => {
    await render(
      api({
        getIncidents: async () => {
          throw new Error('incidents unavailable');
        },
      }),
    );
    expect(
      (await screen.findAllByText(/incidents unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('opens the incident a search result links to (?incident=)', async () => {
    window.history.pushState(
      {},
      '',
      '/catalog/default/component/checkout/pod-watch-incidents?incident=7',
    );
    try {
      await render(api());
      const drawer = await screen.findByRole('region', { name: 'Incident 7' });
      expect(
        await within(drawer).findByText('Memory limit 128Mi is too low'),
      ).toBeInTheDocument();
    } finally {
      window.history.pushState({}, '', '/');
    }
  });
});
