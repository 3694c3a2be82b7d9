import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { PodWatchApi, podWatchApiRef } from '../../api';
import { EntityPodWatchContent } from './EntityPodWatchContent';

const api: PodWatchApi = {
  getHealth: async () => ({
    status: 'ok',
    version: '0.1.0',
    database: { status: 'ok', migrations: { applied: 1, pending: 0 } },
  }),
};

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

async function render(e: Entity) {
  await renderInTestApp(
    <TestApiProvider apis={[[podWatchApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityPodWatchContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityPodWatchContent', () => {
  it('tells the owner which annotation to add when none links a workload', async () => {
    await render(entity({}));
    expect(
      screen.getByText('No Kubernetes workload is linked to this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText(/backstage.io\/kubernetes-id:/)).toBeInTheDocument();
  });

  it('shows the pod selector derived from backstage.io/kubernetes-id', async () => {
    await render(entity({ 'backstage.io/kubernetes-id': 'checkout' }));
    expect(
      screen.getByText('backstage.io/kubernetes-id=checkout'),
    ).toBeInTheDocument();
    expect(await screen.findByText('0.1.0')).toBeInTheDocument();
  });

  it('prefers an explicit label selector annotation', async () => {
    await render(
      entity({
        'backstage.io/kubernetes-id': 'checkout',
        'backstage.io/kubernetes-label-selector': 'app in (checkout,cart)',
      }),
    );
    expect(screen.getByText('app in (checkout,cart)')).toBeInTheDocument();
  });
});
