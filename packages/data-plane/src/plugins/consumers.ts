import type { GatewayConfig } from '@gatehouse/protocol';
import type { ConsumerInfo } from './context';

/** A key-auth credential as the DP holds it: found by the SHA-256 of the presented key. */
export interface KeyCredential {
  id: string;
  consumer: ConsumerInfo;
}

/** A basic-auth credential: its scrypt hash is checked against the presented password. */
export interface BasicCredential {
  id: string;
  username: string;
  passwordHash: string;
  consumer: ConsumerInfo;
}

/**
 * The consumers and credentials of one snapshot, indexed once when the
 * snapshot is applied, so authentication is one Map read per request.
 * Credentials whose consumer is missing from the snapshot are dropped.
 */
export class ConsumerIndex {
  private readonly byId = new Map<string, ConsumerInfo>();
  private readonly byUsername = new Map<string, ConsumerInfo>();
  private readonly keys = new Map<string, KeyCredential>();
  private readonly basic = new Map<string, BasicCredential>();
  private readonly groups = new Map<string, string[]>();

  constructor(config: Pick<GatewayConfig, 'consumers' | 'keyauth_credentials' | 'basicauth_credentials' | 'acls'>) {
    for (const c of config.consumers) {
      const info: ConsumerInfo = { id: c.id, username: c.username, custom_id: c.custom_id };
      this.byId.set(c.id, info);
      if (c.username !== null) this.byUsername.set(c.username, info);
    }
    for (const k of config.keyauth_credentials) {
      const consumer = this.byId.get(k.consumer.id);
      if (consumer) this.keys.set(k.key_hash, { id: k.id, consumer });
    }
    for (const b of config.basicauth_credentials) {
      const consumer = this.byId.get(b.consumer.id);
      if (consumer) this.basic.set(b.username, { id: b.id, username: b.username, passwordHash: b.password_hash, consumer });
    }
    for (const a of config.acls) {
      if (!this.byId.has(a.consumer.id)) continue;
      const list = this.groups.get(a.consumer.id);
      if (list) list.push(a.group);
      else this.groups.set(a.consumer.id, [a.group]);
    }
  }

  /** A consumer by id, or by username (how Kong resolves `anonymous`). */
  consumer(idOrUsername: string): ConsumerInfo | undefined {
    return this.byId.get(idOrUsername) ?? this.byUsername.get(idOrUsername);
  }

  /** The key-auth credential whose key hashes to `keyHash` (lower-case hex SHA-256). */
  keyCredential(keyHash: string): KeyCredential | undefined {
    return this.keys.get(keyHash);
  }

  /** The basic-auth credential with this username. */
  basicCredential(username: string): BasicCredential | undefined {
    return this.basic.get(username);
  }

  /** The ACL groups of a consumer (empty when it has none). */
  groupsOf(consumerId: string): readonly string[] {
    return this.groups.get(consumerId) ?? [];
  }
}
