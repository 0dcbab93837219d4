import { readDeclarativeText, namesOnlyCatalog, type PluginCatalog } from '../../packages/protocol/src/declarative';

/** Reads a file that must fail and answers its error fields. */
function fields(text: string, options = {}): Record<string, string> {
  const result = readDeclarativeText(text, options);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.fields;
}

const head = '_format_version: "3.0"\n';

describe('bad declarative files name the field', () => {
  it('names a wrong type deep in nested routes', () => {
    const f = fields(`${head}services:
  - name: a
    url: http://a.internal
  - name: b
    url: http://b.internal
  - name: c
    host: c.internal
    port: "eighty"
    routes:
      - name: c1
        paths: [/ok, 42]
`);
    expect(f).toEqual({
      'services[2].port': expect.stringMatching(/number/),
      'services[2].routes[0].paths[1]': expect.stringMatching(/string/),
    });
  });

  it('names a bad path and an invalid regex', () => {
    const f = fields(`${head}routes:\n  - name: r\n    paths: [no-slash, "~/(unclosed"]\n`);
    expect(f['routes[0].paths[0]']).toMatch(/should start with/);
    expect(f['routes[0].paths[1]']).toBe('invalid regex');
  });

  it('names unknown fields at every level, including the top', () => {
    const f = fields(
      `${head}colour: blue\nservices:\n  - name: s\n    url: http://s.internal\n    colour: red\n    routes:\n      - name: r\n        paths: [/r]\n        colour: green\n`,
    );
    expect(f).toEqual({ colour: 'unknown field', 'services[0].colour': 'unknown field', 'services[0].routes[0].colour': 'unknown field' });
  });

  it('rejects duplicate route names across services, naming the second', () => {
    const f = fields(`${head}services:
  - name: a
    url: http://a.internal
    routes:
      - { name: dup, paths: [/a] }
  - name: b
    url: http://b.internal
    routes:
      - { name: dup, paths: [/b] }
`);
    expect(f).toEqual({ 'services[1].routes[0].name': 'duplicate route "dup" (also at services[0].routes[0])' });
  });

  it('reports a wrong type, an unknown field and a duplicate route name at once, even on broken entries', () => {
    const f = fields(`${head}services:
  - name: s
    url: http://s.internal
    routes:
      - { name: r, paths: [/a], strip_path: "no" }
      - { name: r, paths: [/b], colour: red }
`);
    expect(f).toEqual({
      'services[0].routes[0].strip_path': expect.stringMatching(/boolean/),
      'services[0].routes[1].colour': 'unknown field',
      'services[0].routes[1].name': 'duplicate route "r" (also at services[0].routes[0])',
    });
  });

  it('rejects duplicate service names, consumer usernames, custom_ids and plugin scopes', () => {
    const f = fields(`${head}services:
  - { name: s, url: http://a.internal, plugins: [{ name: cors }] }
  - { name: s, url: http://b.internal }
plugins:
  - { name: cors, service: s }
consumers:
  - { username: u, custom_id: x }
  - { username: u }
  - { username: v, custom_id: x }
`);
    expect(f['services[1].name']).toMatch(/^duplicate service "s"/);
    expect(f['plugins[0].name']).toMatch(/^duplicate plugin "cors \(service=s\)"/);
    expect(f['consumers[1].username']).toMatch(/^duplicate consumer "u"/);
    expect(f['consumers[2].custom_id']).toMatch(/^duplicate custom_id "x"/);
  });

  it('names references to entities the file does not have', () => {
    const f = fields(
      `${head}routes:\n  - { name: r, service: ghost, paths: [/r] }\nplugins:\n  - { name: cors, route: { id: 6a1d5ad6-34a5-4bd0-a3a3-6a5c2cbd6b53 } }\nacls:\n  - { consumer: nobody, group: g }\n`,
    );
    expect(f).toEqual({
      'routes[0].service': 'no service "ghost" in this file',
      'plugins[0].route': 'no route {"id":"6a1d5ad6-34a5-4bd0-a3a3-6a5c2cbd6b53"} in this file',
      'acls[0].consumer': 'no consumer "nobody" in this file',
    });
  });

  it('requires a consumer on top-level credentials, and forbids the parent field on nested ones', () => {
    const f = fields(`${head}keyauth_credentials:\n  - key: k\nconsumers:\n  - username: u\n    acls:\n      - { group: g, consumer: u }\n`);
    expect(f).toEqual({ 'keyauth_credentials[0].consumer': 'required', 'consumers[0].acls[0].consumer': 'must not be set on an entity nested in a consumer' });
  });

  it('needs exactly one of key or key_hash', () => {
    const f = fields(`${head}consumers:\n  - username: u\n    keyauth_credentials:\n      - tags: [t]\n      - { key: k, key_hash: ${'a'.repeat(64)} }\n`);
    expect(Object.keys(f)).toEqual(['consumers[0].keyauth_credentials[0].key', 'consumers[0].keyauth_credentials[1].key']);
  });

  it('requires and checks _format_version', () => {
    expect(fields('services: []\n')).toEqual({ _format_version: 'required' });
    expect(fields('_format_version: "4.0"\n')).toEqual({ _format_version: 'expected one of: 1.1, 2.1, 3.0' });
  });

  it('rejects Kong entities Gatehouse lacks, unless empty', () => {
    expect(fields(`${head}key_sets:\n  - name: x\nvaults: []\n`)).toEqual({ key_sets: 'not supported by Gatehouse' });
    expect(fields(`${head}services:\n  - { name: s, url: https://s.internal, tls_sans: { dnsnames: [a.internal] } }\n`)).toEqual({
      'services[0].tls_sans': 'not supported by Gatehouse',
    });
  });

  it("checks TLS entities' fields with Kong's messages, at their place in the file", () => {
    expect(fields(`${head}certificates:\n  - cert: x\n    key: y\n    snis:\n      - name: 10.0.0.1\n`)).toEqual({
      'certificates[0].cert': 'invalid certificate: no PEM CERTIFICATE block',
      'certificates[0].key': 'invalid key: no PEM PRIVATE KEY block',
      'certificates[0].snis[0].name': 'must not be an IP',
    });
    expect(fields(`${head}services:\n  - { name: s, url: http://s.internal, tls_verify: true }\n`)).toEqual({
      'services[0].tls_verify': 'value must be null',
    });
  });

  it('reports YAML syntax errors with their line', () => {
    const f = fields(`${head}services:\n  - name: s\n   url: broken\n`);
    expect(f['@file']).toMatch(/^not valid YAML or JSON: .*line 4/);
  });

  it('reports a file that is not a mapping', () => {
    expect(fields('- just\n- a list\n')).toEqual({ '@file': expect.stringMatching(/expected a mapping/) });
  });
});

describe('plugins Gatehouse does not have', () => {
  const file = `${head}services:\n  - name: s\n    url: http://s.internal\n    plugins:\n      - name: oauth2\n        config:\n          enable_password_grant: true\n      - name: cors\n`;

  it('are an error naming the plugin', () => {
    expect(fields(file)).toEqual({
      'services[0].plugins[0].name': 'plugin "oauth2" is not available in Gatehouse (use --skip-unknown-plugins to skip it)',
    });
  });

  it('are left out with a warning under skipUnknownPlugins', () => {
    const result = readDeclarativeText(file, { skipUnknownPlugins: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state.plugins.map((p) => p.fields.name)).toEqual(['cors']);
    expect(result.warnings).toEqual(['services[0].plugins[0].name: plugin "oauth2" is not available in Gatehouse; skipped']);
  });

  it('have their config checked by a plugin catalog that can, with paths into config', () => {
    const names = namesOnlyCatalog();
    const catalog: PluginCatalog = {
      has: (name) => names.has(name),
      validateConfig: (name, config) =>
        typeof config.minute === 'number' ? { config: { ...config, policy: 'local' } } : { issues: [{ path: ['minute'], message: `${name} needs a number` }] },
    };
    const bad = `${head}plugins:\n  - name: rate-limiting\n    config: { minute: lots }\n`;
    expect(fields(bad, { catalog })).toEqual({ 'plugins[0].config.minute': 'rate-limiting needs a number' });
    const good = readDeclarativeText(`${head}plugins:\n  - name: rate-limiting\n    config: { minute: 5 }\n`, { catalog });
    expect(good.ok && good.state.plugins[0]!.fields.config).toEqual({ minute: 5, policy: 'local' });
  });
});
