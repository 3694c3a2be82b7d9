import { ResourceRegistry } from '../resources/registry';
import { ObjectStore, TooOldError } from './store';
import { fieldMatcher, labelMatcher, SelectorError } from './selectors';

const cm = (
  name: string,
  ns = 'default',
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
});

describe('ObjectStore', () => {
  it('assigns increasing resourceVersions and keeps a bounded history', () => {
    const store = new ObjectStore(new ResourceRegistry(), { historyWindow: 3 });
    for (let i = 0; i < 5; i++) store.create(cm(`c${i}`));
    expect(store.resourceVersion).toBe(5);
    expect(store.changesSince(2).map(e => e.rv)).toEqual([3, 4, 5]);
    expect(() => store.changesSince(1)).toThrow(TooOldError);
    expect(() => store.changesSince(1)).toThrow(
      'too old resource version: 1 (3)',
    );
  });

  it('rebuilds a list at an earlier resourceVersion', () => {
    const store = new ObjectStore(new ResourceRegistry());
    store.create(cm('a'));
    store.create(cm('b'));
    const rv = store.resourceVersion;
    store.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'a',
    });
    store.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'b' },
      o => {
        o.data = { x: '1' };
      },
    );
    store.create(cm('c'));
    const then = store.listAt('core/configmaps', rv);
    expect(then.map(o => [o.metadata.name, o.data])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
  });

  it('rejects duplicates and optimistic-concurrency conflicts like the apiserver', () => {
    const store = new ObjectStore(new ResourceRegistry());
    const a = store.create(cm('a'));
    expect(() => store.create(cm('a'))).toThrow(
      'configmaps "a" already exists',
    );
    store.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'a' },
      o => {
        o.data = { v: '1' };
      },
    );
    expect(() => store.update(a, { checkRv: true })).toThrow(
      /the object has been modified/,
    );
  });

  it('serves events.k8s.io/v1 as a view of core/v1 events', () => {
    const reg = new ResourceRegistry();
    const view = reg.byPath('events.k8s.io', 'v1', 'events')!;
    const e = view.toView!({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      message: 'm',
      count: 3,
      source: { component: 'kubelet', host: 'n1' },
    });
    expect(e).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { name: 'p' },
      note: 'm',
      deprecatedCount: 3,
      reportingController: 'kubelet',
    });
  });
});

describe('selectors', () => {
  const o = (labels: Record<string, string>) => ({
    metadata: { name: 'x', namespace: 'n', labels },
  });

  it.each([
    ['a=1', { a: '1' }, true],
    ['a==1', { a: '2' }, false],
    ['a!=1', {}, true],
    ['a in (1, 2)', { a: '2' }, true],
    ['a notin (1,2)', { a: '3' }, true],
    ['a notin (1,2)', {}, true],
    ['a', { a: '' }, true],
    ['!a', { a: '' }, false],
    [
      'app.kubernetes.io/name=web,tier in (fe)',
      { 'app.kubernetes.io/name': 'web', tier: 'fe' },
      true,
    ],
  ])('%s on %j → %s', (sel, labels, want) => {
    expect(labelMatcher(sel)(o(labels))).toBe(want);
  });

  it('rejects malformed selectors and unsupported field labels', () => {
    expect(() => labelMatcher('a=(b')).toThrow(SelectorError);
    const reg = new ResourceRegistry();
    const pods = reg.byPath('', 'v1', 'pods')!;
    expect(() => fieldMatcher('spec.foo=bar', pods)).toThrow(
      'field label not supported: spec.foo',
    );
    expect(
      fieldMatcher(
        'spec.nodeName=n1,status.phase!=Failed',
        pods,
      )({
        metadata: {},
        spec: { nodeName: 'n1' },
        status: { phase: 'Running' },
      }),
    ).toBe(true);
  });
});
