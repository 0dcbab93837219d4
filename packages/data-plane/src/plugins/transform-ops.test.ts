import { applyOps, compileOps, headerStore, jsonStore, paramsStore } from './transform-ops';

describe('transformer operations', () => {
  it('applies remove, rename, replace, add, append to headers in Kong order', () => {
    const h: Record<string, string | string[]> = { 'x-old': '1', 'x-gone': 'y', 'x-keep': 'k', 'x-rep': 'before' };
    const ops = compileOps(
      {
        remove: ['X-Gone'],
        rename: ['X-Old:X-New'],
        replace: ['x-rep:after', 'x-missing:no'],
        add: ['x-keep:other', 'x-added:a'],
        append: ['x-keep:second', 'x-app:1'],
      },
      (n) => n.toLowerCase(),
    );
    applyOps(headerStore(h), ops);
    expect(h).toEqual({ 'x-new': '1', 'x-keep': ['k', 'second'], 'x-rep': 'after', 'x-added': 'a', 'x-app': '1' });
  });

  it('edits query arguments', () => {
    const q = new URLSearchParams('a=1&b=2&c=3');
    applyOps(paramsStore(q), compileOps({ remove: ['a'], rename: ['b:bee'], replace: ['c:30'], add: ['d:4', 'c:no'], append: ['c:31'] }));
    expect(q.toString()).toBe('bee=2&c=30&d=4&c=31');
  });

  it('edits JSON fields; append makes arrays; values may be typed', () => {
    const o: Record<string, unknown> = { a: 1, s: 'x', gone: true };
    const ops = compileOps<unknown>({ remove: ['gone'], add: ['n:5', 'b:true'], append: ['s:y', 'list:1'] }, undefined, (v, i, op) =>
      op === 'add' && i === 0 ? Number(v) : op === 'add' ? v === 'true' : v,
    );
    applyOps(jsonStore<unknown>(o), ops);
    expect(o).toEqual({ a: 1, s: ['x', 'y'], n: 5, b: true, list: ['1'] });
  });

  it('splits pairs at the first colon only', () => {
    const ops = compileOps({ add: ['x-url:http://a:1/b'] });
    expect(ops.add).toEqual([{ name: 'x-url', value: 'http://a:1/b' }]);
  });
});
