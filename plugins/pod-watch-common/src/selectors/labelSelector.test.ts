import {
  LabelSelectorSyntaxError,
  formatLabelSelector,
  labelSelectorFromObject,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

const labels = {
  app: 'shop',
  tier: 'web',
  'app.kubernetes.io/part-of': 'checkout',
};

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    expect(
      parseLabelSelector('a=b,c==d,e!=f,g in (h, i),j notin (k),l,!m'),
    ).toEqual([
      { key: 'a', operator: 'equals', value: 'b' },
      { key: 'c', operator: 'equals', value: 'd' },
      { key: 'e', operator: 'notEquals', value: 'f' },
      { key: 'g', operator: 'in', values: ['h', 'i'] },
      { key: 'j', operator: 'notIn', values: ['k'] },
      { key: 'l', operator: 'exists' },
      { key: 'm', operator: 'doesNotExist' },
    ]);
  });

  it('accepts prefixed keys, spaces and the empty selector', () => {
    expect(parseLabelSelector(' app.kubernetes.io/name = api ')).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'equals', value: 'api' },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
  });

  it.each([
    'a=b,',
    'a in b',
    'a in ()',
    '=b',
    'a b',
    'a=b=c',
    '!',
    'a notin (b',
    'bad key!=x',
    `a=${'x'.repeat(64)}`,
  ])('rejects %p', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(
      LabelSelectorSyntaxError,
    );
  });
});

describe('matchesLabelSelector', () => {
  it.each([
    ['app=shop', true],
    ['app==shop,tier=web', true],
    ['app=other', false],
    ['tier!=api', true],
    ['tier!=web', false],
    ['missing!=x', true],
    ['tier in (web,api)', true],
    ['tier in (api)', false],
    ['tier notin (api)', true],
    ['missing notin (x)', true],
    ['tier notin (web)', false],
    ['app.kubernetes.io/part-of', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });

  it('treats missing labels as an empty set', () => {
    expect(matchesLabelSelector('!a', undefined)).toBe(true);
    expect(matchesLabelSelector('a', undefined)).toBe(false);
  });
});

describe('object selectors and formatting', () => {
  it('converts matchLabels and matchExpressions', () => {
    const reqs = labelSelectorFromObject({
      matchLabels: { app: 'shop' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesLabelSelector(reqs, labels)).toBe(true);
    expect(formatLabelSelector(reqs)).toBe('app=shop,tier in (web),!legacy');
  });

  it('round-trips through the string syntax', () => {
    const s = 'a=b,c!=d,e in (g,f),h notin (i),j,!k';
    expect(formatLabelSelector(parseLabelSelector(s))).toBe(
      'a=b,c!=d,e in (f,g),h notin (i),j,!k',
    );
  });
});
