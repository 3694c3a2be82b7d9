import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type {
  PodWatchIncidentDocument,
  PodWatchWorkloadDocument,
} from '@pod-watch/plugin-pod-watch-common';
import { ago } from '../../__testUtils__/fakeApi';
import {
  isPodWatchSearchResult,
  PodWatchSearchResultListItem,
} from './PodWatchSearchResultListItem';

const base = {
  authorization: { resourceRef: 'component:default/checkout' },
  entityRef: 'component:default/checkout',
  entityTitle: 'checkout',
  cluster: 'dev',
  namespace: 'shop',
};

const INCIDENT: PodWatchIncidentDocument = {
  ...base,
  title: 'OOMKilled: checkout',
  text: 'Container app was OOMKilled 3 times',
  location:
    '/catalog/default/component/checkout/pod-watch-incidents?incident=7',
  incidentId: 7,
  incidentType: 'oom-killed',
  severity: 'critical',
  status: 'open',
  workload: 'checkout',
  pod: 'checkout-a',
  container: 'app',
  images: 'shop/checkout:1.2',
  openedAt: ago(3600),
  lastSeenAt: ago(60),
};

const WORKLOAD: PodWatchWorkloadDocument = {
  ...base,
  title: 'Deployment checkout (failing)',
  text: 'Deployment checkout failing CrashLoopBackOff',
  location:
    '/catalog/default/component/checkout/pod-watch?workload=Deployment%2Fcheckout',
  kind: 'Deployment',
  name: 'checkout',
  health: 'failing',
  pods: 3,
  images: '',
  issue: 'CrashLoopBackOff',
};

describe('PodWatchSearchResultListItem', () => {
  it('claims only Pod Watch document types', () => {
    expect(isPodWatchSearchResult({ type: 'pod-watch-incident' })).toBe(true);
    expect(isPodWatchSearchResult({ type: 'pod-watch-workload' })).toBe(true);
    expect(isPodWatchSearchResult({ type: 'software-catalog' })).toBe(false);
  });

  it('links an incident to its detail and shows type, status, severity and place', async () => {
    await renderInTestApp(<PodWatchSearchResultListItem result={INCIDENT} />);
    expect(
      screen.getByRole('link', { name: 'OOMKilled: checkout' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/pod-watch-incidents?incident=7',
    );
    expect(
      screen.getByText('Container app was OOMKilled 3 times'),
    ).toBeInTheDocument();
    for (const chip of [
      'OOMKilled',
      'open',
      'critical',
      'dev/shop',
      'last seen 1m ago',
    ]) {
      expect(screen.getByText(chip)).toBeInTheDocument();
    }
  });

  it('shows a workload with its health, pod count and issue', async () => {
    await renderInTestApp(<PodWatchSearchResultListItem result={WORKLOAD} />);
    for (const chip of [
      'Deployment',
      'Failing',
      '3 pods',
      'CrashLoopBackOff',
    ]) {
      expect(screen.getByText(chip)).toBeInTheDocument();
    }
  });

  it('highlights matched terms', async () => {
    await renderInTestApp(
      <PodWatchSearchResultListItem
        result={INCIDENT}
        highlight={{
          preTag: '<b>',
          postTag: '</b>',
          fields: { title: '<b>OOMKilled</b>: checkout' },
        }}
      />,
    );
    expect(
      screen.getByText('OOMKilled', { selector: 'mark' }),
    ).toBeInTheDocument();
  });

  it('renders nothing without a result', async () => {
    const { container } = await renderInTestApp(
      <PodWatchSearchResultListItem />,
    );
    expect(container.textContent).toBe('');
  });
});
