import type { GatewayConfig } from '@gatehouse/protocol';
import { consumer, gateway, keyAuth, plugin, service } from '../../../../test/support/config-builder';
import { findInconsistencies } from './consistency';

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function config(): GatewayConfig {
  return gateway({
    services: [service({ id: id(1), name: 's', host: 'h' })],
    consumers: [consumer({ id: id(2), username: 'u' })],
    keyauth_credentials: [keyAuth(id(2), 'u-key', { id: id(3) })],
  });
}

describe('findInconsistencies', () => {
  it('accepts a config whose every reference is present', () => {
    expect(findInconsistencies(config())).toEqual([]);
  });

  it('names dangling references from routes, plugins and credentials', () => {
    const c = config();
    c.keyauth_credentials.push(keyAuth(id(99), 'dangling-key', { id: id(4) }));
    c.plugins.push(plugin('cors', { id: id(5), route: id(98), protocols: ['http'] }));
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
