import { emptyConfig, type GatewayConfig } from '@gatehouse/protocol';
import { findInconsistencies } from './consistency';

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function config(): GatewayConfig {
  const c = emptyConfig();
  c.services.push({ id: id(1), name: 's', protocol: 'http', host: 'h', port: 80, path: null, retries: 5, connect_timeout: 1, write_timeout: 1, read_timeout: 1, tags: [], enabled: true, created_at: 0, updated_at: 0 });
  c.consumers.push({ id: id(2), username: 'u', custom_id: null, tags: [], created_at: 0, updated_at: 0 });
  c.keyauth_credentials.push({ id: id(3), consumer: { id: id(2) }, key_hash: 'f'.repeat(64), tags: [] });
  return c;
}

describe('findInconsistencies', () => {
  it('accepts a config whose every reference is present', () => {
    expect(findInconsistencies(config())).toEqual([]);
  });

  it('names dangling references from routes, plugins and credentials', () => {
    const c = config();
    c.keyauth_credentials.push({ id: id(4), consumer: { id: id(99) }, key_hash: 'e'.repeat(64), tags: [] });
    c.plugins.push({ id: id(5), name: 'cors', instance_name: null, config: {}, service: null, route: { id: id(98) }, consumer: null, protocols: ['http'], enabled: true, tags: [], created_at: 0, updated_at: 0 });
    const problems = findInconsistencies(c);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain(id(99));
    expect(problems.join('\n')).toContain(id(98));
  });

  it('names duplicate ids', () => {
    const c = config();
    c.services.push({ ...c.services[0]! });
    expect(findInconsistencies(c)).toEqual([`service ${id(1)} appears twice`]);
  });
});
