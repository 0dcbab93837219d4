/**
 * Shapes of API answers. Entities, nodes and certificates come from the
 * protocol package (one schema each); the few answers it does not describe
 * (`/me`, analytics, implementation) are written here as the API sends them.
 */
export type {
  Consumer,
  DataPlaneNode,
  DpCertificate,
  HubService,
  HubVersion,
  IssuedDpCertificate,
  LaunchScriptKind,
  Plugin,
  RenewedDpCertificate,
  Route,
  RuntimeGroup,
  Service,
} from '@gatehouse/protocol';
import type { Route, Service } from '@gatehouse/protocol';

/** Every list answer: one page of data and the next page's offset (or null). */
export interface Page<T> {
  data: T[];
  offset: string | null;
}

/** `GET /v1/me`: the signed-in user and their organization. */
export interface Me {
  id: string;
  email: string;
  full_name: string | null;
  organization: { id: string; name: string };
}

/** A timestamp as the API sends it: whole seconds since the epoch, or an ISO string. */
export type ApiTime = number | string | null;

/** Traffic of a version or a runtime group (`…/analytics`). */
export interface Analytics {
  since?: string;
  until?: string;
  granularity?: 'minute' | 'hour';
  total: number;
  by_status_code: Record<string, number>;
  series: Array<{ at: ApiTime; by_status_code: Record<string, number> }>;
  latency_ms: { p50: number | null; p95: number | null; p99: number | null };
}

/** `GET …/versions/{vid}/implementation`: the gateway service and its routes. */
export interface Implementation {
  version_id: string;
  runtime_group_id: string;
  service: Service;
  routes: Route[];
}
