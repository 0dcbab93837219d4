import { emptyConfig, type GatewayConfig } from '@gatehouse/protocol';
import { createLogger } from '../logging';
import { resolveCertificates, vaultSources } from './resolve';

const log = createLogger('silent');

function withCertificate(cert: Partial<GatewayConfig['certificates'][number]>, secrets?: Record<string, string>): GatewayConfig {
  const config = emptyConfig();
  config.certificates.push({
    id: '00000000-0000-4000-8000-000000000001',
    cert: 'CERT',
    key: 'KEY',
    cert_alt: null,
    key_alt: null,
    tags: [],
    created_at: 1,
    updated_at: 1,
    ...cert,
  });
  if (secrets) config._secrets = secrets;
  return config;
}

describe('resolveCertificates', () => {
  it('leaves a config without references as it is (the same object)', () => {
    const config = withCertificate({});
    expect(resolveCertificates(config, log)).toBe(config);
  });

  it('resolves cert, key and the alternative pair from the snapshot secrets and the environment, keeping the snapshot untouched', () => {
    process.env.GATEHOUSE_TEST_TLS_KEY = 'KEY-FROM-ENV';
    try {
      const config = withCertificate(
        {
          cert: '{vault://gatehouse/tls}',
          key: '{vault://env/gatehouse-test-tls-key}',
          cert_alt: '{vault://gatehouse/alt/cert}',
          key_alt: '{vault://gatehouse/alt/key}',
        },
        { tls: 'CERT-FROM-STORE', alt: '{"cert":"ALT-CERT","key":"ALT-KEY"}' },
      );
      const resolved = resolveCertificates(config, log).certificates[0];
      expect(resolved).toMatchObject({ cert: 'CERT-FROM-STORE', key: 'KEY-FROM-ENV', cert_alt: 'ALT-CERT', key_alt: 'ALT-KEY' });
      expect(config.certificates[0]?.cert).toBe('{vault://gatehouse/tls}');
    } finally {
      delete process.env.GATEHOUSE_TEST_TLS_KEY;
    }
  });

  it("turns an unresolvable reference into '' (Kong) and resolves the rest", () => {
    const config = withCertificate({ cert: '{vault://gatehouse/missing}', key: '{vault://gatehouse/present}' }, { present: 'K' });
    expect(resolveCertificates(config, log).certificates[0]).toMatchObject({ cert: '', key: 'K' });
  });

  it('reads only own names of the snapshot secrets', () => {
    expect(vaultSources(withCertificate({}, {})).gatehouse('toString')).toBeUndefined();
  });
});
