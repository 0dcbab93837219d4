import fs from 'node:fs';
import path from 'node:path';
import { readDeclarativeText, schemaCatalog } from '../../packages/protocol/src/declarative';
import { PLUGIN_SCHEMAS } from '../../packages/data-plane/src/plugins/schemas';

/** Declarative files checked with the plugin registry's real schemas, as the CP and the CLI check them. */
const catalog = schemaCatalog(PLUGIN_SCHEMAS);
const head = '_format_version: "3.0"\n';

function fields(text: string): Record<string, string> {
  const r = readDeclarativeText(text, { catalog });
  if (r.ok) throw new Error('expected the file to be rejected');
  return r.fields;
}

describe('plugin configs in declarative files', () => {
  it('accepts every bundled plugin of the real-world file and fills in Kong’s defaults', () => {
    const r = readDeclarativeText(fs.readFileSync(path.join(__dirname, 'fixtures', 'kong-3.0.yml'), 'utf8'), { catalog });
    if (!r.ok) throw new Error(JSON.stringify(r.fields));
    const limiting = r.state.plugins.find((p) => p.key === 'rate-limiting (route=catalog-products)')!;
    expect(limiting.fields.config).toMatchObject({ minute: 120, hour: 5000, policy: 'local', limit_by: 'consumer', fault_tolerant: true });
    const keyAuth = r.state.plugins.find((p) => p.fields.name === 'key-auth')!;
    expect(keyAuth.fields.config).toMatchObject({ key_names: ['apikey', 'x-api-key'], hide_credentials: true });
  });

  it('accepts a Kong 1.x export whose plugin config lists every field, nulls included', () => {
    const r = readDeclarativeText(fs.readFileSync(path.join(__dirname, 'fixtures', 'kong-1.1.json'), 'utf8'), { catalog });
    expect(r.ok).toBe(true);
  });

  it('names a wrong config field by its path in the file', () => {
    const f = fields(
      `${head}services:\n  - name: s\n    url: http://s.internal\n    plugins:\n      - name: rate-limiting\n        config: { minute: many }\n      - name: cors\n        config: { origins: ["https://shop.example.com"], colour: red }\n`,
    );
    expect(Object.keys(f).sort()).toEqual(['services[0].plugins[0].config.minute', 'services[0].plugins[1].config.colour']);
    expect(f['services[0].plugins[1].config.colour']).toBe('unknown field');
  });

  it('refuses a plugin where its schema forbids it, nested or by reference', () => {
    const f = fields(
      `${head}consumers:\n  - username: u\n    plugins:\n      - name: key-auth\nplugins:\n  - name: acl\n    consumer: u\n    config: { allow: [g] }\n`,
    );
    expect(f).toEqual({
      'consumers[0].plugins[0].consumer': 'the key-auth plugin cannot be scoped to a consumer',
      'plugins[0].consumer': 'the acl plugin cannot be scoped to a consumer',
    });
  });
});
