import {
  entityWorkloadSelector,
  hasKubernetesAnnotations,
  selectorMatches,
} from './entitySelector';
import { LabelSelectorSyntaxError } from './labelSelector';

describe('entityWorkloadSelector', () => {
  it('defaults to backstage.io/kubernetes-id=<entity name>, like Backstage', () => {
    const s = entityWorkloadSelector({ metadata: { name: 'checkout' } });
    expect(s).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=checkout',
      requirements: [
        {
          key: 'backstage.io/kubernetes-id',
          operator: 'equals',
          value: 'checkout',
        },
      ],
    });
  });

  it('uses the kubernetes-id annotation, then the label-selector annotation over it', () => {
    expect(
      entityWorkloadSelector({
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-id': 'shop' },
        },
      }).labelSelector,
    ).toBe('backstage.io/kubernetes-id=shop');
    const s = entityWorkloadSelector({
      metadata: {
        name: 'x',
        annotations: {
          'backstage.io/kubernetes-id': 'shop',
          'backstage.io/kubernetes-label-selector':
            'app in (cart,pay),tier!=batch',
          'backstage.io/kubernetes-namespace': 'shop',
          'backstage.io/kubernetes-cluster': 'prod-eu',
        },
      },
    });
    expect(s).toMatchObject({
      labelSelector: 'app in (cart,pay),tier!=batch',
      namespace: 'shop',
      cluster: 'prod-eu',
    });
    expect(
      selectorMatches(s, {
        cluster: 'prod-eu',
        namespace: 'shop',
        labels: { app: 'cart' },
      }),
    ).toBe(true);
    expect(
      selectorMatches(s, {
        cluster: 'prod-us',
        namespace: 'shop',
        labels: { app: 'cart' },
      }),
    ).toBe(false);
    expect(
      selectorMatches(s, {
        cluster: 'prod-eu',
        namespace: 'other',
        labels: { app: 'cart' },
      }),
    ).toBe(false);
    expect(
      selectorMatches(s, {
        cluster: 'prod-eu',
        namespace: 'shop',
        labels: { app: 'cart', tier: 'batch' },
      }),
    ).toBe(false);
  });

  it('rejects an invalid selector annotation', () => {
    expect(() =>
      entityWorkloadSelector({
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-label-selector': 'app in' },
        },
      }),
    ).toThrow(LabelSelectorSyntaxError);
  });

  it('knows when the Kubernetes tab applies', () => {
    expect(hasKubernetesAnnotations({ metadata: { name: 'x' } })).toBe(false);
    expect(
      hasKubernetesAnnotations({
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-label-selector': 'a=b' },
        },
      }),
    ).toBe(true);
  });
});
