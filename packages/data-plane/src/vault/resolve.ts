import type { z } from 'zod';
import { looksLikeReference, mapReferences, resolveReference, snapshotCertificate, type GatewayConfig, type VaultSources } from '@gatehouse/protocol';
import type { Logger } from '../logging';

/**
 * Where this data plane finds referenced secrets: `{vault://env/...}` in its
 * own environment (Kong's env vault), `{vault://gatehouse/...}` in the
 * `_secrets` its snapshot carries (only those the group's config references).
 */
export function vaultSources(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env): VaultSources {
  const secrets = config._secrets ?? {};
  return {
    env: (name) => env[name],
    gatehouse: (name) => (Object.prototype.hasOwnProperty.call(secrets, name) ? secrets[name] : undefined),
  };
}

/**
 * `value` (a plugin's config, a certificate) with every reference in a
 * referenceable field of `schema` replaced by its secret. A reference that
 * cannot be resolved is logged (`vault_reference_unresolved`, Kong's "unable
 * to resolve reference" warning, naming the reference and the field, never a
 * value) and becomes the empty string, as in Kong: the entity is still
 * applied and whatever uses the field fails on its own (a Redis AUTH refused),
 * while the rest of the config serves normally.
 */
export function resolveReferences<T>(schema: z.ZodType, value: T, sources: VaultSources, log: Logger, owner: string): T {
  return mapReferences(schema, value, (ref, path) => {
    const resolved = resolveReference(ref, sources);
    if (resolved.ok) return resolved.value;
    const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.');
    log.warn(
      { event: 'vault_reference_unresolved', reference: ref, entity: owner, field, reason: resolved.error },
      `unable to resolve reference ${ref} (${resolved.error}) in ${owner} ${field}`,
    );
    return '';
  });
}

/**
 * The config with its certificates' references resolved (Kong: cert, key,
 * cert_alt and key_alt are referenceable), the same object when none has one.
 * Done once per apply; the TLS listener and upstream client certificates read
 * the compiled config. A certificate whose reference cannot be resolved gets
 * '' there and fails its own handshakes, logged, like Kong's.
 */
export function resolveCertificates(config: GatewayConfig, log: Logger): GatewayConfig {
  const referencing = (c: GatewayConfig['certificates'][number]): boolean => [c.cert, c.key, c.cert_alt, c.key_alt].some(looksLikeReference);
  if (!config.certificates.some(referencing)) return config;
  const sources = vaultSources(config);
  const certificates = config.certificates.map((c) => (referencing(c) ? resolveReferences(snapshotCertificate, c, sources, log, `certificate ${c.id}`) : c));
  return { ...config, certificates };
}
