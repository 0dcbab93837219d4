import type { Route } from '@gatehouse/protocol';

/** What a route form holds, as typed. */
export interface RouteFormState {
  name: string;
  /** Comma-separated, as Konnect takes them: `GET, POST`. */
  methods: string;
  paths: string[];
  /** Comma-separated host names. */
  hosts: string;
  protocols: string[];
  strip_path: boolean;
  preserve_host: boolean;
  regex_priority: number | string;
}

/** An empty route form with Kong's defaults. */
export function emptyRouteForm(): RouteFormState {
  return { name: '', methods: '', paths: [], hosts: '', protocols: ['http', 'https'], strip_path: true, preserve_host: false, regex_priority: 0 };
}

/** The form for an existing route. */
export function routeFormFrom(r: Route): RouteFormState {
  return {
    name: r.name ?? '',
    methods: r.methods.join(', '),
    paths: r.paths,
    hosts: r.hosts.join(', '),
    protocols: r.protocols,
    strip_path: r.strip_path,
    preserve_host: r.preserve_host,
    regex_priority: r.regex_priority,
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The request body for the form, in Kong's Route object shape. */
export function routeBody(f: RouteFormState): Record<string, unknown> {
  const priority =
    typeof f.regex_priority === 'number'
      ? f.regex_priority
      : f.regex_priority.trim() === ''
        ? 0
        : Number.isNaN(Number(f.regex_priority))
          ? f.regex_priority
          : Number(f.regex_priority);
  return {
    name: f.name.trim() === '' ? null : f.name.trim(),
    methods: list(f.methods),
    paths: f.paths.map((p) => p.trim()),
    hosts: list(f.hosts),
    protocols: f.protocols,
    strip_path: f.strip_path,
    preserve_host: f.preserve_host,
    regex_priority: priority,
  };
}
