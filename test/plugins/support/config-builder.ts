import { randomUUID } from 'node:crypto';
import { emptyConfig, pluginInput, routeInput, serviceInput, type GatewayConfig, type Plugin } from '@gatehouse/protocol';
import { sha256Hex } from '@gatehouse/protocol/node';

/**
 * Builds a GatewayConfig the way the CP stores it (protocol schemas, Kong's
 * defaults, ids and timestamps), so a test can start a real DP on it without
 * a control plane. Credentials are stored as the CP stores them: hashes only.
 */
export class ConfigBuilder {
  readonly config: GatewayConfig = emptyConfig();
  private clock = 1_700_000_000;

  private stamp(): { id: string; created_at: number; updated_at: number } {
    this.clock++;
    return { id: randomUUID(), created_at: this.clock, updated_at: this.clock };
  }

  service(name: string, url: string): string {
    const s = serviceInput.parse({ name, url });
    const entity = { ...this.stamp(), ...s };
    this.config.services.push(entity);
    return entity.id;
  }

  route(name: string, serviceId: string, fields: Record<string, unknown>): string {
    const { service: _ref, ...r } = routeInput.parse({ name, ...fields });
    const entity = { ...this.stamp(), ...r, service: { id: serviceId } };
    this.config.routes.push(entity);
    return entity.id;
  }

  /** A plugin instance; `config` is stored as given (the DP fills defaults itself). */
  plugin(name: string, config: Record<string, unknown>, scope: { route?: string; service?: string; consumer?: string } = {}, extra: Partial<Plugin> = {}): string {
    const p = pluginInput.parse({ name, config });
    const entity: Plugin = {
      ...this.stamp(),
      ...p,
      route: scope.route ? { id: scope.route } : null,
      service: scope.service ? { id: scope.service } : null,
      consumer: scope.consumer ? { id: scope.consumer } : null,
      ...extra,
    };
    this.config.plugins.push(entity);
    return entity.id;
  }

  consumer(username: string, customId: string | null = null): string {
    const entity = { ...this.stamp(), username, custom_id: customId, tags: [] };
    this.config.consumers.push(entity);
    return entity.id;
  }

  /** A key-auth credential, shipped as the SHA-256 of the key only. */
  keyAuth(consumerId: string, key: string): string {
    const id = randomUUID();
    this.config.keyauth_credentials.push({ id, consumer: { id: consumerId }, key_hash: sha256Hex(key), tags: [] });
    return id;
  }

  basicAuth(consumerId: string, username: string, passwordHash: string): string {
    const id = randomUUID();
    this.config.basicauth_credentials.push({ id, consumer: { id: consumerId }, username, password_hash: passwordHash, tags: [] });
    return id;
  }

  acl(consumerId: string, group: string): void {
    this.config.acls.push({ id: randomUUID(), consumer: { id: consumerId }, group, tags: [] });
  }
}
