/**
 * Kong's secret references, `{vault://<vault>/<resource>[/<key>][?opts][#version]}`:
 * recognising and parsing them. Browser-safe (the UI and the CLI use it too).
 * Gatehouse has two vaults: `env` (Kong's env vault, resolved on the data plane
 * from its own environment) and `gatehouse` (the organization's secret store on
 * the control plane, shipped to the groups that use it). docs/SECURITY.md.
 */

/** The vaults a reference may name. */
export const VAULT_NAMES = ['env', 'gatehouse'] as const;
export type VaultName = (typeof VAULT_NAMES)[number];

/** A name in the `gatehouse` vault (the secret store): letters, digits, `_`, `-`, `.`, at most 128. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Kong's env vault `prefix` option (`^[%a_-][%a%d_-]*$`). */
const ENV_PREFIX_PATTERN = /^[A-Za-z_-][A-Za-z0-9_-]*$/;

/** A parsed reference (Kong's `parse_reference` result). */
export interface VaultReference {
  vault: VaultName;
  /** The secret's name in the vault, percent-decoded. */
  resource: string;
  /** The field of a JSON object secret (`/key` after the resource), or null for the whole value. */
  key: string | null;
  /** Options from the query string (`?prefix=SSL_`). */
  options: Record<string, string>;
  /** `#2`: the previous version (env vault: `<NAME>_PREVIOUS`), or null. */
  version: number | null;
}

export type ParsedReference = { ok: true; reference: VaultReference } | { ok: false; error: string };

/**
 * Whether a value is meant as a reference: a string that starts with `{vault://`.
 * Kong also requires the closing `}`; Gatehouse takes such a string as a
 * reference and refuses it when the brace is missing, rather than storing it as
 * a literal (docs/SECURITY.md).
 */
export function looksLikeReference(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{vault://');
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/**
 * Parses a reference by Kong's rules: the vault is the URL's host, the
 * resource its path; with several path segments the last is the key of a JSON
 * secret (a trailing `/` makes the whole path the resource); the query holds
 * the vault's options and the fragment a version number. Errors carry Kong's
 * messages (`reference url is missing path [...]`, `could not find vault (x)`).
 */
export function parseReference(ref: string): ParsedReference {
  const fail = (error: string): ParsedReference => ({ ok: false, error });
  if (!looksLikeReference(ref) || !ref.endsWith('}')) return fail(`not a reference [${ref}]: a reference reads {vault://<vault>/<name>}`);
  let rest = ref.slice('{vault://'.length, -1);
  let version: number | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const v = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    if (!/^\d+$/.test(v)) return fail(`reference url has invalid version [${ref}]`);
    version = Number(v);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  if (host === '') return fail(`reference url is missing host [${ref}]`);
  if (slash < 0) return fail(`reference url is missing path [${ref}]`);
  const path = rest.slice(slash + 1);
  if (path === '') return fail(`reference url has empty path [${ref}]`);
  if (!(VAULT_NAMES as readonly string[]).includes(host)) return fail(`could not find vault (${host})`);
  const parts = path.split('/');
  const directory = parts[parts.length - 1] === '';
  if (directory) parts.pop();
  if (parts.length === 0 || parts.some((p) => p === '')) return fail(`reference url has invalid path [${ref}]`);
  const decoded = parts.map(decode);
  if (decoded.some((p) => p === null)) return fail(`reference url has invalid path [${ref}]`);
  const segs = decoded as string[];
  const whole = segs.length === 1 || directory;
  const resource = whole ? segs.join('/') : segs.slice(0, -1).join('/');
  const key = whole ? null : (segs.at(-1) ?? null);
  const options: Record<string, string> = {};
  for (const pair of query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' '));
    if (name === null || value === null) return fail(`reference url has invalid query [${ref}]`);
    options[name] = value;
  }
  const reference: VaultReference = { vault: host as VaultName, resource, key, options, version };
  const problem = checkVaultRules(reference);
  return problem === null ? { ok: true, reference } : fail(`${problem} [${ref}]`);
}

/** What each vault accepts beyond the common syntax. */
function checkVaultRules(r: VaultReference): string | null {
  if (r.vault === 'env') {
    for (const [name, value] of Object.entries(r.options)) {
      if (name !== 'prefix') return `the env vault has no option '${name}' (only prefix)`;
      if (!ENV_PREFIX_PATTERN.test(value)) return `invalid prefix '${value}': must match ^[A-Za-z_-][A-Za-z0-9_-]*$`;
    }
    return null;
  }
  if (!SECRET_NAME_PATTERN.test(r.resource)) return `invalid secret name '${r.resource}': letters, digits, '_', '-' and '.', at most 128`;
  if (Object.keys(r.options).length > 0) return 'the gatehouse vault takes no options';
  if (r.version !== null) return 'the gatehouse vault keeps no versions';
  return null;
}

/**
 * The environment variable Kong's env vault reads for a reference: the
 * `prefix` option, then the resource, upper-cased with `-` turned into `_`;
 * version 2 reads `<NAME>_PREVIOUS`. `{vault://env/redis-pass}` → `REDIS_PASS`.
 */
export function envVariableName(r: VaultReference): string {
  const name = `${r.options.prefix ?? ''}${r.resource}`.replace(/-/g, '_').toUpperCase();
  return r.version === 2 ? `${name}_PREVIOUS` : name;
}

/** Where a data plane finds values: its environment, and the secrets its snapshot carries. */
export interface VaultSources {
  env(name: string): string | undefined;
  gatehouse(name: string): string | undefined;
}

export type ResolvedReference = { ok: true; value: string } | { ok: false; error: string };

/**
 * Resolves a reference against the data plane's sources, with Kong's rules and
 * messages: `no value found`, and for a `/key` the field of a JSON object
 * whose value is a string (`could not get subfield value: ...`).
 */
export function resolveReference(ref: string, sources: VaultSources): ResolvedReference {
  const parsed = parseReference(ref);
  if (!parsed.ok) return parsed;
  const r = parsed.reference;
  const value = r.vault === 'env' ? sources.env(envVariableName(r)) : sources.gatehouse(r.resource);
  if (value === undefined) return { ok: false, error: 'no value found' };
  if (r.key === null) return { ok: true, value };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (err) {
    return { ok: false, error: `could not get subfield value: unable to json decode value (${(err as Error).message})` };
  }
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  const field = isObject && Object.prototype.hasOwnProperty.call(json, r.key) ? (json as Record<string, unknown>)[r.key] : undefined;
  if (field === undefined) return { ok: false, error: `could not get subfield value: subfield ${r.key} not found in JSON secret` };
  if (typeof field !== 'string')
    return { ok: false, error: `could not get subfield value: unexpected ${typeof field} value in JSON secret for subfield ${r.key}` };
  return { ok: true, value: field };
}
