import { serverName, UpstreamPools, type PoolTarget } from './pools';

const target = (servername: string | undefined): PoolTarget => ({
  scheme: 'https',
  host: 'api.internal',
  port: 8443,
  connectTimeout: 1000,
  servername,
  tls: null,
});

describe('serverName', () => {
  it('answers the host without its port, and nothing for IP literals', () => {
    expect(serverName('api.example.test')).toBe('api.example.test');
    expect(serverName('api.example.test:8443')).toBe('api.example.test');
    expect(serverName('127.0.0.1')).toBeUndefined();
    expect(serverName('127.0.0.1:8000')).toBeUndefined();
    expect(serverName('[::1]:8000')).toBeUndefined();
    expect(serverName('::1')).toBeUndefined();
    expect(serverName('')).toBeUndefined();
  });
});

describe('UpstreamPools', () => {
  let pools: UpstreamPools;
  beforeEach(() => (pools = new UpstreamPools()));
  afterEach(() => pools.destroy());

  it('shares one pool per upstream and way of connecting', () => {
    expect(pools.get(target('api.internal'))).toBe(pools.get(target('api.internal')));
    expect(pools.get(target('api.internal'))).not.toBe(pools.get({ ...target('api.internal'), connectTimeout: 2000 }));
    // A client's host equal to the service's own SNI uses the service's pool.
    expect(pools.forClientSni(target('api.internal'))).toBe(pools.get(target('api.internal')));
  });

  it('keeps a bounded number of pools for client-chosen TLS names, closing the oldest', () => {
    const first = pools.forClientSni(target('host-0.example.test'));
    expect(pools.forClientSni(target('host-0.example.test'))).toBe(first);
    const made = [first];
    for (let i = 1; i <= 256; i++) made.push(pools.forClientSni(target(`host-${i}.example.test`)));
    expect(first.closed).toBe(true);
    expect(made[1]?.closed).toBe(false);
    expect(made[256]?.closed).toBe(false);
    // Asked again, an evicted name gets a fresh pool.
    expect(pools.forClientSni(target('host-0.example.test'))).not.toBe(first);
  });
});
