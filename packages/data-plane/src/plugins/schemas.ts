import { referenceIssues, type PluginCatalog, type PluginConfigIssue } from '@gatehouse/protocol';
import type { PluginSchema } from './types';
import { aclSchema } from './acl/schema';
import { basicAuthSchema } from './basic-auth/schema';
import { correlationIdSchema } from './correlation-id/schema';
import { corsSchema } from './cors/schema';
import { ipRestrictionSchema } from './ip-restriction/schema';
import { keyAuthSchema } from './key-auth/schema';
import { jwtSchema } from './jwt/schema';
import { hmacAuthSchema } from './hmac-auth/schema';
import { postFunctionSchema } from './post-function/schema';
import { preFunctionSchema } from './pre-function/schema';
import { prometheusSchema } from './prometheus/schema';
import { rateLimitingSchema } from './rate-limiting/schema';
import { requestSizeLimitingSchema } from './request-size-limiting/schema';
import { requestTerminationSchema } from './request-termination/schema';
import { requestTransformerSchema } from './request-transformer/schema';
import { responseTransformerSchema } from './response-transformer/schema';
import { opentelemetrySchema } from './opentelemetry/schema';
import { statsdSchema } from './statsd/schema';
import { proxyCacheSchema } from './proxy-cache/schema';
import { httpLogSchema } from './http-log/schema';
import { fileLogSchema } from './file-log/schema';
import { tcpLogSchema } from './tcp-log/schema';
import { udpLogSchema } from './udp-log/schema';
import { syslogSchema } from './syslog/schema';

/**
 * Every plugin's schema by name, and nothing else: this module (the package's
 * `@gatehouse/data-plane/plugin-schemas` entry) is what the CP, the CLI and the
 * UI import to validate plugin configs without loading any handler.
 */
export const PLUGIN_SCHEMAS: ReadonlyMap<string, PluginSchema> = new Map<string, PluginSchema>(
  [
    aclSchema,
    basicAuthSchema,
    correlationIdSchema,
    corsSchema,
    ipRestrictionSchema,
    keyAuthSchema,
    jwtSchema,
    hmacAuthSchema,
    postFunctionSchema,
    preFunctionSchema,
    prometheusSchema,
    rateLimitingSchema,
    requestSizeLimitingSchema,
    requestTerminationSchema,
    requestTransformerSchema,
    responseTransformerSchema,
    opentelemetrySchema,
    statsdSchema,
    proxyCacheSchema,
    httpLogSchema,
    fileLogSchema,
    tcpLogSchema,
    udpLogSchema,
    syslogSchema,
  ].map((s) => [s.name, s]),
);

/** The names of every plugin this build has, sorted (what a DP announces in `hello`). */
export const PLUGIN_NAMES: readonly string[] = [...PLUGIN_SCHEMAS.keys()].sort();

/** A plugin config checked and completed with Kong's defaults, or the problems found (paths relative to `config`). */
export type ConfigCheck = { ok: true; config: Record<string, unknown> } | { ok: false; issues: PluginConfigIssue[] };

/**
 * Checks a config against the named plugin's schema. Unknown plugin names
 * are reported as an issue on the (empty) path, which callers name `name`.
 */
export function checkPluginConfig(name: string, config: unknown): ConfigCheck {
  const schema = PLUGIN_SCHEMAS.get(name);
  if (schema === undefined)
    return { ok: false, issues: [{ path: [], message: `plugin '${name}' not enabled; add it to the 'plugins' configuration property` }] };
  // A reference in a field Kong does not mark referenceable, or a malformed one: named before the schema's own checks.
  const refIssues = referenceIssues(schema.config, config ?? {});
  if (refIssues.length > 0) return { ok: false, issues: refIssues };
  const parsed = schema.config.safeParse(config ?? {});
  if (parsed.success) return { ok: true, config: parsed.data as Record<string, unknown> };
  const issues: PluginConfigIssue[] = [];
  for (const i of parsed.error.issues) {
    if (i.code === 'unrecognized_keys') for (const k of i.keys) issues.push({ path: [...i.path, k], message: 'unknown field' });
    else issues.push({ path: i.path, message: i.message });
  }
  return { ok: false, issues };
}

/** Where the plugin instance is attached, as the API receives it. */
export interface PluginPlacement {
  name: string;
  config: unknown;
  consumer?: unknown;
  route?: unknown;
  service?: unknown;
}

/**
 * Validates a whole plugin instance as the CP's API does: the name, where it
 * is attached, and its config. Answers the completed config, or a `fields`
 * map in the API's error format (`name`, `consumer`, `config.<field>`).
 */
export function validatePlugin(p: PluginPlacement): { ok: true; config: Record<string, unknown> } | { ok: false; fields: Record<string, string> } {
  const schema = PLUGIN_SCHEMAS.get(p.name);
  if (schema === undefined) return { ok: false, fields: { name: `plugin '${p.name}' not enabled; add it to the 'plugins' configuration property` } };
  const fields: Record<string, string> = {};
  for (const scope of ['consumer', 'route', 'service'] as const) {
    const v = p[scope];
    if (!schema.scopes[scope] && v !== undefined && v !== null) fields[scope] = `value must be null (the ${p.name} plugin cannot be scoped to a ${scope})`;
  }
  const check = checkPluginConfig(p.name, p.config);
  if (!check.ok) {
    for (const issue of check.issues) {
      const key = fieldName(issue.path);
      if (!(key in fields)) fields[key] = issue.message;
    }
  }
  if (!check.ok || Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, config: check.config };
}

/** `config.minute`, `config.add.headers[0]`: a config path as the API's error fields name it. */
function fieldName(path: readonly PropertyKey[]): string {
  let out = 'config';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/**
 * The plugin catalog for declarative validation (packages/protocol's
 * PluginCatalog): names, and configs checked and defaulted by their schemas.
 */
export const pluginCatalog: PluginCatalog = {
  has: (name) => PLUGIN_SCHEMAS.has(name),
  validateConfig(name, config) {
    const check = checkPluginConfig(name, config);
    return check.ok ? { config: check.config } : { issues: check.issues };
  },
};
