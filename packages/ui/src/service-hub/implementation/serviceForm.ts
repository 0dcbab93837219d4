import type { Service } from '@gatehouse/protocol';

/** What the gateway service part of a form holds, as typed. */
export interface ServiceFormState {
  name: string;
  mode: 'url' | 'parts';
  url: string;
  protocol: string;
  host: string;
  port: number | string;
  path: string;
  retries: number | string;
  connect_timeout: number | string;
  write_timeout: number | string;
  read_timeout: number | string;
  tags: string[];
  enabled: boolean;
}

/** An empty form: Kong's defaults, "Add using URL" chosen. */
export function emptyServiceForm(): ServiceFormState {
  return {
    name: '',
    mode: 'url',
    url: '',
    protocol: 'http',
    host: '',
    port: 80,
    path: '',
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    tags: [],
    enabled: true,
  };
}

/** The form for an existing gateway service (editing an implementation), by parts. */
export function serviceFormFrom(s: Service): ServiceFormState {
  return {
    name: s.name ?? '',
    mode: 'parts',
    url: '',
    protocol: s.protocol,
    host: s.host,
    port: s.port,
    path: s.path ?? '',
    retries: s.retries,
    connect_timeout: s.connect_timeout,
    write_timeout: s.write_timeout,
    read_timeout: s.read_timeout,
    tags: s.tags,
    enabled: s.enabled,
  };
}

/**
 * A number field's value for the API: blank means "use the default"; text
 * that is not a number is passed on so the schema names the field.
 */
export function numberField(value: number | string): number | string | undefined {
  if (typeof value === 'number') return value;
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isNaN(n) ? value : n;
}

/** The request body for the form, in Kong's Service object shape (`url` or parts). */
export function serviceBody(f: ServiceFormState): Record<string, unknown> {
  const target =
    f.mode === 'url'
      ? { url: f.url.trim() }
      : { protocol: f.protocol, host: f.host.trim(), port: numberField(f.port), path: f.path.trim() === '' ? null : f.path.trim() };
  return {
    name: f.name.trim(),
    ...target,
    retries: numberField(f.retries),
    connect_timeout: numberField(f.connect_timeout),
    write_timeout: numberField(f.write_timeout),
    read_timeout: numberField(f.read_timeout),
    tags: f.tags,
    enabled: f.enabled,
  };
}
