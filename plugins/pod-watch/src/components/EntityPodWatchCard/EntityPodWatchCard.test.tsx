import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  entity,
  fakeApi,
  incident,
  pod,
  podsResponse,
  Providers,
} from '../../__testUtils__/fakeApi';
import { PodWatchApi } from '../../api';
import { EntityPodWatchCard } from './EntityPodWatchCard';

async function render(api: PodWatchApi, e = entity()) {
  await renderInTestApp(
    <Providers api={api} entity={e}>
      <EntityPodWatchCard />
    </Providers>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityPodWatchCard', () => {
  it('summarises pod health and lists open incidents with links to the tabs', async () => {
    await render(
      fakeApi({
        getEntityPods: async () =>
          podsResponse(
            [pod('a', 'failing'), pod('b', 'healthy'), pod('c', 'healthy')],
            { health: 'failing' },
          ),
        getIncidents: async () => ({
          items: [incident(7)],
          total: 1,
          hasMore: false,
          limit: 5,
          offset: 0,
        }),
      }),
    );
    expect(
      await screen.findByText('3 pods: 1 failing · 2 healthy'),
    ).toBeInTheDocument();
    expect(screen.getByText('Open incidents (1)')).toBeInTheDocument();
    expect(screen.getByText('OOMKilled · high')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All incidents' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/pod-watch-incidents',
    );
    expect(screen.getByRole('link', { name: /View pods/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/pod-watch',
    );
  });

  it('says what to add when the entity has no Kubernetes annotation', async () => {
    await render(fakeApi(), entity({}));
    expect(
      screen.getByText('No Kubernetes workload is linked to this entity'),
    ).toBeInTheDocument();
  });

  it('shows errors per section', async () => {
    await render(
      fakeApi({
        getEntityPods: async () => {
          throw new Error('pods down');
        },
        getIncidents: async () => ({
          items: [],
          total: 0,
          hasMore: false,
          limit: 5,
          offset: 0,
        }),
      }),
    );
    expect((await screen.findAllByText(/pods down/)).length).toBeGreaterThan(0);
    expect(screen.getByText('No open incidents.')).toBeInTheDocument();
  });
});
