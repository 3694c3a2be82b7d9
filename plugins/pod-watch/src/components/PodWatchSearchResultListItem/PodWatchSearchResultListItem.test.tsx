import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PodWatchSearchResultListItem } from './PodWatchSearchResultListItem';

describe('PodWatchSearchResultListItem', () => {
  it('links an incident document and shows its type, status and place', async () => {
    await renderInTestApp(
      <PodWatchSearchResultListItem
        result={{
          title: 'OOMKilled: checkout',
          text: 'Container app was OOMKilled 3 times',
          location: '/catalog/default/component/checkout/pod-watch-incidents',
          kind: 'incident',
          incidentType: 'oom-killed',
          status: 'open',
          cluster: 'dev',
          namespace: 'shop',
        } as any}
      />,
    );
    expect(screen.getByRole('link', { name: 'OOMKilled: checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/pod-watch-incidents',
    );
    expect(screen.getByText('Container app was OOMKilled 3 times')).toBeInTheDocument();
    expect(screen.getByText('OOMKilled')).toBeInTheDocument();
    expect(screen.getByText('open')).toBeInTheDocument();
    expect(screen.getByText('dev/shop')).toBeInTheDocument();
  });

  it('highlights matched terms', async () => {
    await renderInTestApp(
      <PodWatchSearchResultListItem
        result={{ title: 'OOMKilled: checkout', text: 'killed', location: '/x' }}
        highlight={{ preTag: '<b>', postTag: '</b>', fields: { title: '<b>OOMKilled</b>: checkout' } }}
      />,
    );
    expect(screen.getByText('OOMKilled').tagName).toBe('MARK');
  });

  it('renders nothing without a result', async () => {
    const { container } = await renderInTestApp(<PodWatchSearchResultListItem />);
    expect(container.querySelector('li')).toBeNull();
  });
});
