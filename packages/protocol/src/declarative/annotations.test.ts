import { readDeclarativeText, type ReadResult } from './read';
import { stateToFile } from './to-file';

function ok(result: ReadResult): Extract<ReadResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected the file to be valid, got ${JSON.stringify(result.fields, null, 2)}`);
  return result;
}

function fields(text: string): Record<string, string> {
  const result = readDeclarativeText(text);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.fields;
}

// Every entity kind, top-level and nested, carries a `_comment` and an `_ignore`, as Kong's own
// declarative schema spec writes them.
const COMMENTED = `_format_version: "3.0"
_comment: the whole file
_ignore: [{ any: thing }, 42, text]
services:
  - name: s
    url: http://s.internal
    _comment: a service
    _ignore: [{ foo: bar }]
    routes:
      - name: r
        paths: [/r]
        _comment: a nested route
        plugins:
          - name: key-auth
            _comment: a plugin nested twice
            _ignore: []
    plugins:
      - name: cors
        _comment: a nested plugin
routes:
  - name: top
    service: s
    paths: [/top]
    _comment: a top-level route
consumers:
  - username: alice
    _comment: a consumer
    keyauth_credentials:
      - key: alice-key
        _comment: a nested credential
    basicauth_credentials:
      - username: alice
        password: pw
        _comment: nested basic-auth
    acls:
      - group: admins
        _comment: a nested acl
    plugins:
      - name: rate-limiting
        config: { minute: 5 }
        _comment: a consumer plugin
plugins:
  - name: prometheus
    _comment: a global plugin
keyauth_credentials:
  - consumer: alice
    key: second-key
    _comment: a top-level credential
acls:
  - consumer: alice
    group: staff
    _comment: a top-level acl
`;

describe('_comment and _ignore (Kong’s notes on the file and on every entity)', () => {
  it('are accepted on the file and on every entity, nested or not, and change nothing', () => {
    const commented = ok(readDeclarativeText(COMMENTED));
    const plain = ok(readDeclarativeText(COMMENTED.replace(/^\s*_(comment|ignore): .*\n/gm, '')));
    expect(plain.state).toEqual(commented.state);
    expect(commented.warnings).toEqual([]);
    expect(commented.state.routes).toHaveLength(2);
    expect(commented.state.plugins).toHaveLength(4);
    expect(commented.state.keyauth_credentials).toHaveLength(2);
  });

  it('are not kept: no entity holds them, so a dump (like Kong’s /config export) has none', () => {
    const { state } = ok(readDeclarativeText(COMMENTED));
    for (const list of Object.values(state)) for (const e of list as { fields: object }[]) expect(Object.keys(e.fields)).not.toContain('_comment');
    const dumped = JSON.stringify(stateToFile(state));
    expect(dumped).not.toContain('_comment');
    expect(dumped).not.toContain('_ignore');
  });

  it('must be a string and an array, with Kong’s messages at their path', () => {
    expect(
      fields(`_format_version: "3.0"
_comment: 1234
_ignore: { foo: bar }
services:
  - name: s
    url: http://s.internal
    _comment: { a: b }
    routes:
      - name: r
        paths: [/r]
        _comment: [x]
        _ignore: 12
consumers:
  - username: c
    keyauth_credentials:
      - key: k
        _comment: 7
`),
    ).toEqual({
      _comment: 'expected a string',
      _ignore: 'expected an array',
      'services[0]._comment': 'expected a string',
      'services[0].routes[0]._comment': 'expected a string',
      'services[0].routes[0]._ignore': 'expected an array',
      'consumers[0].keyauth_credentials[0]._comment': 'expected a string',
    });
  });

  it('a quoted number is a string, and an empty `_comment:` is no comment', () => {
    ok(readDeclarativeText('_format_version: "3.0"\n_comment: "1234"\nservices:\n  - name: s\n    url: http://s.internal\n    _comment:\n'));
  });

  it('are the only underscore keys an entity takes; others are unknown fields', () => {
    expect(fields('_format_version: "3.0"\nservices:\n  - name: s\n    url: http://s.internal\n    _note: x\n')).toEqual({
      'services[0]._note': 'unknown field',
    });
  });
});

describe('_workspace', () => {
  it('is accepted as "default" (Kong OSS’s only workspace) and changes nothing', () => {
    ok(readDeclarativeText('_format_version: "3.0"\n_workspace: default\n'));
  });

  it('naming another workspace is refused, never synced into the chosen runtime group', () => {
    expect(fields('_format_version: "3.0"\n_workspace: team-a\n')._workspace).toMatch(/^workspace "team-a" is not supported by Gatehouse: only "default"/);
    expect(fields('_format_version: "3.0"\n_workspace: 3\n')).toEqual({ _workspace: 'expected a string' });
  });
});

describe('_transform and _format_version', () => {
  it('_transform must be a boolean (Kong’s message)', () => {
    expect(fields('_format_version: "3.0"\n_transform: "yes"\n')).toEqual({ _transform: 'expected a boolean' });
  });

  it('_format_version is one of Kong’s three versions', () => {
    expect(fields('_format_version: "foobar"\n')).toEqual({ _format_version: 'expected one of: 1.1, 2.1, 3.0' });
  });
});
