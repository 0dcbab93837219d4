import fs from 'node:fs';
import { z } from 'zod';
import YAML from 'yaml';

/** A setting that is wrong or missing; its message is the one line start-up prints. */
export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'SettingsError';
  }
}

/** `host:port` (host may be `[v6]`), as every *_LISTEN setting takes it. */
export const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):\d{1,5}$/, 'expected host:port, for example 0.0.0.0:8001')
  .transform((s) => {
    const i = s.lastIndexOf(':');
    return { host: s.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(s.slice(i + 1)) };
  })
  .refine((a) => a.port <= 65535, 'port must be at most 65535');
export type ListenAddress = z.output<typeof listenAddress>;

/** Reads `--config FILE` from argv: a JSON or YAML object, or KEY=VALUE lines. */
export function readConfigFile(argv: readonly string[]): Record<string, string> {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  const arg = argv[i];
  if (arg === undefined) return {};
  const file = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!file) throw new SettingsError('--config', 'needs a file path');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SettingsError('--config', `cannot read ${file}: ${(err as Error).message}`);
  }
  const trimmed = text.trim();
  let values: unknown;
  if (/\.(json|ya?ml)$/i.test(file) || trimmed.startsWith('{')) {
    try {
      values = YAML.parse(text);
    } catch (err) {
      throw new SettingsError('--config', `${file} is not valid JSON or YAML: ${(err as Error).message}`);
    }
  } else {
    const entries = trimmed
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.replace(/^export\s+/, ''))
      .map((l) => {
        const eq = l.indexOf('=');
        if (eq < 1) throw new SettingsError('--config', `${file}: expected KEY=VALUE, got "${l}"`);
        return [
          l.slice(0, eq).trim(),
          l
            .slice(eq + 1)
            .trim()
            .replace(/^(['"])(.*)\1$/, '$2'),
        ];
      });
    values = Object.fromEntries(entries);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new SettingsError('--config', `${file} must hold an object of settings`);
  }
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

/**
 * Loads settings: the environment wins over the `--config` file. Values are
 * validated by `schema`; the first wrong or missing one throws a SettingsError
 * naming it.
 */
export function loadSettings<S extends z.ZodType>(schema: S, argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const fromFile = readConfigFile(argv);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue ? String(issue.path[0] ?? 'settings') : 'settings';
    const missing = issue?.code === 'invalid_type' && merged[name] === undefined;
    throw new SettingsError(name, missing ? 'is required' : (issue?.message ?? 'is invalid'));
  }
  return parsed.data;
}
