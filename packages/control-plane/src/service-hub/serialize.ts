import { toTimestamp, type HubService as HubServiceAnswer, type HubVersion as HubVersionAnswer } from '@gatehouse/protocol';
import type { HubService, HubVersion } from '../generated/prisma/client';

/** A Service Hub service as the API answers it (protocol `hubService`). */
export function hubServiceToApi(s: HubService): HubServiceAnswer {
  return {
    id: s.id,
    name: s.name,
    display_name: s.displayName,
    description: s.description,
    created_at: toTimestamp(s.createdAt),
    updated_at: toTimestamp(s.updatedAt),
  };
}

/** A version as the API answers it (protocol `hubVersion`): its implementation as `gateway_service: {id}` or null. */
export function hubVersionToApi(v: HubVersion): HubVersionAnswer {
  return {
    id: v.id,
    service: { id: v.serviceId },
    name: v.name,
    runtime_group_id: v.runtimeGroupId,
    gateway_service: v.gatewayServiceId ? { id: v.gatewayServiceId } : null,
    created_at: toTimestamp(v.createdAt),
    updated_at: toTimestamp(v.updatedAt),
  };
}

/**
 * The tag an implementing gateway service carries: `_KonnectService:<name>`.
 * Tags cannot hold spaces, so spaces become `-` (the rule names clash by).
 */
export function konnectServiceTag(hubServiceName: string): string {
  return `_KonnectService:${hubServiceName.trim().replace(/ /g, '-')}`;
}
