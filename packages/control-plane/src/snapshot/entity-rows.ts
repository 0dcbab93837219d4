import { toTimestamp } from '@gatehouse/protocol';
import type { Acl, BasicAuthCredential, Consumer, KeyAuthCredential, Plugin, Route, Service } from '../generated/prisma/client';

/** Rows → the API's stored shapes (packages/protocol/src/entities), which the snapshot ships as they are. */

const ref = (id: string | null): { id: string } | null => (id === null ? null : { id });

export function serviceShape(s: Service) {
  return {
    id: s.id,
    name: s.name,
    protocol: s.protocol,
    host: s.host,
    port: s.port,
    path: s.path,
    retries: s.retries,
    connect_timeout: s.connectTimeout,
    write_timeout: s.writeTimeout,
    read_timeout: s.readTimeout,
    tags: s.tags,
    enabled: s.enabled,
    created_at: toTimestamp(s.createdAt),
    updated_at: toTimestamp(s.updatedAt),
  };
}

export function routeShape(r: Route) {
  return {
    id: r.id,
    name: r.name,
    protocols: r.protocols,
    methods: r.methods,
    hosts: r.hosts,
    paths: r.paths,
    headers: r.headers,
    strip_path: r.stripPath,
    preserve_host: r.preserveHost,
    regex_priority: r.regexPriority,
    https_redirect_status_code: r.httpsRedirectStatusCode,
    path_handling: r.pathHandling,
    request_buffering: r.requestBuffering,
    response_buffering: r.responseBuffering,
    tags: r.tags,
    service: ref(r.serviceId),
    created_at: toTimestamp(r.createdAt),
    updated_at: toTimestamp(r.updatedAt),
  };
}

export function pluginShape(p: Plugin) {
  return {
    id: p.id,
    name: p.name,
    instance_name: p.instanceName,
    config: p.config,
    service: ref(p.serviceId),
    route: ref(p.routeId),
    consumer: ref(p.consumerId),
    protocols: p.protocols,
    enabled: p.enabled,
    tags: p.tags,
    created_at: toTimestamp(p.createdAt),
    updated_at: toTimestamp(p.updatedAt),
  };
}

export function consumerShape(c: Consumer) {
  return { id: c.id, username: c.username, custom_id: c.customId, tags: c.tags, created_at: toTimestamp(c.createdAt), updated_at: toTimestamp(c.updatedAt) };
}

export function keyAuthShape(k: KeyAuthCredential) {
  return { id: k.id, consumer: { id: k.consumerId }, key_hash: k.keyHash, tags: k.tags };
}

export function basicAuthShape(b: BasicAuthCredential) {
  return { id: b.id, consumer: { id: b.consumerId }, username: b.username, password_hash: b.passwordHash, tags: b.tags };
}

export function aclShape(a: Acl) {
  return { id: a.id, consumer: { id: a.consumerId }, group: a.group, tags: a.tags };
}
