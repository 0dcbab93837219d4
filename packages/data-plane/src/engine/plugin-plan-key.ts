import type { GatewayConfig } from '@gatehouse/protocol';
import { runSteps, type Steps } from './steps';

/**
 * Everything a snapshot's plugin plan is computed from: the plugins, the
 * consumers and their credentials, the gatehouse-vault secrets plugins may
 * reference (`_secrets`; env-vault values never change while a DP runs), and each route's id, name and service
 * (scoping and the names plugins label metrics with). Two configs with equal
 * keys get equal plans, so the engine reuses the previous plan instead of
 * resolving every route's plugins again (the costly part of a big apply;
 * docs/benchmarks.md). Equal content serialized in another key order only
 * costs a recompile, never a wrong reuse.
 */
export function pluginPlanKey(config: GatewayConfig): string {
  return runSteps(pluginPlanKeySteps(config));
}

/** Entities keyed between two yields. */
const STEP = 1024;

/** `pluginPlanKey` as a step generator (engine/steps.ts), yielding every thousand entities. */
export function* pluginPlanKeySteps(config: GatewayConfig): Steps<string> {
  const parts: string[] = [
    JSON.stringify([
      config.plugins,
      config.consumers,
      config.keyauth_credentials,
      config.basicauth_credentials,
      config.jwt_secrets,
      config.hmacauth_credentials,
      config.acls,
      config._secrets ?? null,
    ]),
  ];
  yield;
  for (const s of config.services) {
    parts.push(`s${s.id}\u0000${s.name ?? ''}`);
    if (parts.length % STEP === 0) yield;
  }
  for (const r of config.routes) {
    parts.push(`r${r.id}\u0000${r.name ?? ''}\u0000${r.service?.id ?? ''}`);
    if (parts.length % STEP === 0) yield;
  }
  return parts.join('\u0001');
}
