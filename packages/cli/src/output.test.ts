import YAML from 'yaml';
import { render, table } from './output';

describe('list output', () => {
  const rows = [
    { id: 'a1', name: 'catalog', paths: ['/a', '/b'], service: { id: 's1' }, path: null },
    { id: 'b22', name: 'orders', paths: [], service: null, path: '/x' },
  ];
  const columns = [
    { header: 'ID', value: (r: (typeof rows)[number]) => r.id },
    { header: 'NAME', value: (r: (typeof rows)[number]) => r.name },
    { header: 'PATHS', value: (r: (typeof rows)[number]) => r.paths },
    { header: 'SERVICE', value: (r: (typeof rows)[number]) => r.service },
    { header: 'PATH', value: (r: (typeof rows)[number]) => r.path },
  ];

  it('pads a table to its widest cells, lists joined, references as ids, nothing as -', () => {
    expect(table(rows, columns)).toBe('ID   NAME     PATHS  SERVICE  PATH\na1   catalog  /a,/b  s1       -\nb22  orders   -      -        /x\n');
  });

  it('renders JSON and YAML of the rows as they are', () => {
    expect(JSON.parse(render('json', rows, columns))).toEqual(rows);
    expect(YAML.parse(render('yaml', rows, columns))).toEqual(rows);
  });
});
