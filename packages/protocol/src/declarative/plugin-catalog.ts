import type { z } from 'zod';
import { referenceIssues } from '../vault/referenceable';

/** One problem in a plugin's `config`, its path relative to `config` (Zod issues fit as they are). */
export interface PluginConfigIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** Where a plugin may be attached (Kong's `no_consumer`, `no_route`, `no_service`). */
export interface PluginScopes {
  consumer: boolean;
  route: boolean;
  service: boolean;
}

/**
 * What declarative validation needs to know about plugins: which exist, and
 * (when the plugin registry provides it) how to check and default a config.
 * The plugin registry implements this; validation never hard-codes a plugin.
 */
export interface PluginCatalog {
  /** Whether Gatehouse has a plugin of this name. */
  has(name: string): boolean;
  /** Checks a config and answers it with defaults filled, or the issues found. */
  validateConfig?(name: string, config: Record<string, unknown>): { config: Record<string, unknown> } | { issues: PluginConfigIssue[] };
  /** Where the plugin may be attached; anywhere when absent. */
  scopes?(name: string): PluginScopes | undefined;
}

/** What a catalog needs of one plugin's schema: its config schema and where it may go. */
export interface PluginSchemaLike {
  config: z.ZodType;
  scopes: PluginScopes;
}

/**
 * A catalog backed by the plugins' own schemas (the plugin registry's map of
 * name → schema): configs are checked and completed with their defaults,
 * exactly as the API does for a single plugin.
 */
export function schemaCatalog(schemas: ReadonlyMap<string, PluginSchemaLike>): PluginCatalog {
  return {
    has: (name) => schemas.has(name),
    validateConfig(name, config) {
      const schema = schemas.get(name);
      if (!schema) return { config };
      // Secret references: only in referenceable fields and well formed, as the API and the DP check them.
      const refIssues = referenceIssues(schema.config, config);
      if (refIssues.length > 0) return { issues: refIssues };
      const parsed = schema.config.safeParse(config);
      return parsed.success ? { config: parsed.data as Record<string, unknown> } : { issues: parsed.error.issues };
    },
    scopes: (name) => schemas.get(name)?.scopes,
  };
}

/** The bundled plugins (docs/PLUGINS.md, The plugins), by name. */
export const BUNDLED_PLUGIN_NAMES: readonly string[] = [
  'acl',
  'basic-auth',
  'correlation-id',
  'cors',
  'hmac-auth',
  'ip-restriction',
  'jwt',
  'key-auth',
  'post-function',
  'pre-function',
  'prometheus',
  'rate-limiting',
  'request-size-limiting',
  'request-termination',
  'request-transformer',
  'response-transformer',
  'opentelemetry',
  'statsd',
  'proxy-cache',
  'http-log',
  'file-log',
  'tcp-log',
  'udp-log',
  'syslog',
];

/**
 * A catalog that knows plugin names only and takes any config object; used
 * where no plugin registry is at hand (for example the CLI before it has
 * asked a control plane).
 */
export function namesOnlyCatalog(names: Iterable<string> = BUNDLED_PLUGIN_NAMES): PluginCatalog {
  const known = new Set(names);
  return { has: (name) => known.has(name) };
}
