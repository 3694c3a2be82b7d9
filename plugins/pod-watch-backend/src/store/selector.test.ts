import { rowsPerStatement, StoreContext } from './batching';
import { compileSelector, parseLabelSelector } from './selector';

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    expect(
      parseLabelSelector(
        'app=cart, tier==web,env!=dev,zone in (a, b),team notin (x),canary,!legacy',
      ),
    ).toEqual([
      { key: 'app', operator: '=', values: ['cart'] },
      { key: 'tier', operator: '=', values: ['web'] },
      { key: 'env', operator: '!=', values: ['dev'] },
      { key: 'zone', operator: 'in', values: ['a', 'b'] },
      { key: 'team', operator: 'notin', values: ['x'] },
      { key: 'canary', operator: 'exists' },
      { key: 'legacy', operator: '!' },
    ]);
    expect(parseLabelSelector('backstage.io/kubernetes-id=cart')).toEqual([
      { key: 'backstage.io/kubernetes-id', operator: '=', values: ['cart'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(() => parseLabelSelector('a=b=c')).toThrow(/label selector/);
  });

  it('binds values instead of inlining them', () => {
    const sql = compileSelector(
      [{ key: "x'; --", operator: 'in', values: ["'1", '2'] }],
      { table: 'pod_labels', uidColumn: 'pod_uid', outer: 'p' },
    );
    expect(sql.sql).not.toContain("'");
    expect(sql.bindings).toEqual(["x'; --", "'1", '2']);
    expect(
      compileSelector([], { table: 't', uidColumn: 'u', outer: 'p' }).sql,
    ).toBe('1 = 1');
  });
});

describe('batching', () => {
  it('keeps statements within the engine limits', () => {
    const sqliteOld = { engine: 'sqlite', maxVariables: 999 } as StoreContext;
    const sqlite = { engine: 'sqlite', maxVariables: 32766 } as StoreContext;
    const pg = { engine: 'pg', maxVariables: 65535 } as StoreContext;
    expect(rowsPerStatement(sqliteOld, 19)).toBe(52);
    expect(rowsPerStatement(sqlite, 19)).toBe(500);
    expect(rowsPerStatement(sqlite, 100)).toBe(327);
    expect(rowsPerStatement(pg, 200)).toBe(327);
    expect(rowsPerStatement(pg, 4)).toBe(500);
  });
});
