import type { GatewayConfig } from '@gatehouse/protocol';
import { createHash } from 'node:crypto';
import type { ConsumerInfo, CredentialInfo } from './context';

/** A key-auth credential as the DP holds it: found by the SHA-256 of the presented key. */
export interface KeyCredential {
  id: string;
  consumer: ConsumerInfo;
  /** What `ctx.authenticate` records, built once with the snapshot rather than per request. */
  info: CredentialInfo;
}

/** Presented keys remembered per snapshot (bounded: cleared when full). */
const KEY_CACHE_SIZE = 10_000;

/** A basic-auth credential: its scrypt hash is checked against the presented password. */
export interface BasicCredential {
  id: string;
  username: string;
  passwordHash: string;
  consumer: ConsumerInfo;
}

/** A jwt credential: found by its `key` (what the token's key claim names). */
export interface JwtCredential {
  id: string;
  key: string;
  algorithm: string;
  secret: string | null;
  rsaPublicKey: string | null;
  consumer: ConsumerInfo;
}

/** An hmac-auth credential: found by its `username`. */
export interface HmacCredential {
  id: string;
  username: string;
  secret: string;
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
  /** Presented key → its credential, for keys seen before: a repeat caller costs one Map read, no hash. */
  private readonly byPresentedKey = new Map<string, KeyCredential>();
  private readonly basic = new Map<string, BasicCredential>();
  private readonly jwt = new Map<string, JwtCredential>();
  private readonly hmac = new Map<string, HmacCredential>();
  private readonly groups = new Map<string, string[]>();

  constructor(
    config: Pick<GatewayConfig, 'consumers' | 'keyauth_credentials' | 'basicauth_credentials' | 'acls'> &
      Partial<Pick<GatewayConfig, 'jwt_secrets' | 'hmacauth_credentials'>>,
  ) {
    for (const c of config.consumers) {
      const info: ConsumerInfo = { id: c.id, username: c.username, custom_id: c.custom_id };
      this.byId.set(c.id, info);
      if (c.username !== null) this.byUsername.set(c.username, info);
    }
    for (const k of config.keyauth_credentials) {
      const consumer = this.byId.get(k.consumer.id);
      if (consumer) this.keys.set(k.key_hash, { id: k.id, consumer, info: { id: k.id, consumerId: consumer.id } });
    }
    for (const b of config.basicauth_credentials) {
      const consumer = this.byId.get(b.consumer.id);
      if (consumer) this.basic.set(b.username, { id: b.id, username: b.username, passwordHash: b.password_hash, consumer });
    }
    for (const j of config.jwt_secrets ?? []) {
      const consumer = this.byId.get(j.consumer.id);
      if (consumer) this.jwt.set(j.key, { id: j.id, key: j.key, algorithm: j.algorithm, secret: j.secret, rsaPublicKey: j.rsa_public_key, consumer });
    }
    for (const h of config.hmacauth_credentials ?? []) {
      const consumer = this.byId.get(h.consumer.id);
      if (consumer) this.hmac.set(h.username, { id: h.id, username: h.username, secret: h.secret, consumer });
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

  /**
   * The key-auth credential of a presented key: SHA-256 of the key looked up
   * among the snapshot's hashes, remembered for the key's next request. Only
   * keys that matched are remembered, so unknown keys cannot fill the cache.
   */
  credentialForKey(key: string): KeyCredential | undefined {
    const known = this.byPresentedKey.get(key);
    if (known !== undefined) return known;
    const cred = this.keys.get(createHash('sha256').update(key, 'utf8').digest('hex'));
    if (cred !== undefined) {
      if (this.byPresentedKey.size >= KEY_CACHE_SIZE) this.byPresentedKey.clear();
      this.byPresentedKey.set(key, cred);
    }
    return cred;
  }

  /** The basic-auth credential with this username. */
  basicCredential(username: string): BasicCredential | undefined {
    return this.basic.get(username);
  }

  /** The jwt credential with this `key`. */
  jwtCredential(key: string): JwtCredential | undefined {
    return this.jwt.get(key);
  }

  /** The hmac-auth credential with this username. */
  hmacCredential(username: string): HmacCredential | undefined {
    return this.hmac.get(username);
  }

  /** The ACL groups of a consumer (empty when it has none). */
  groupsOf(consumerId: string): readonly string[] {
    return this.groups.get(consumerId) ?? [];
  }
}
