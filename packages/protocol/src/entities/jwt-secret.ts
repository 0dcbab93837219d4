import { z } from 'zod';
import { tags, uuid, timestamp } from '../primitives';

/** The algorithms a jwt credential may sign with (Kong's `jwt_secrets.algorithm`). */
export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** True for the HMAC algorithms, whose credential holds a shared `secret` instead of a public key. */
export function isSymmetricJwtAlgorithm(algorithm: string): boolean {
  return algorithm.startsWith('HS');
}

/** A PEM public key: SPKI (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`). The CP parses it further with node:crypto. */
export const PUBLIC_KEY_BLOCK = /-----BEGIN ((RSA )?PUBLIC KEY)-----[\s\S]+?-----END \1-----/;

const consumerRef = z.object({ id: uuid });

const jwtFields = z
  .object({
    key: z.string().min(1).max(1024).optional(),
    algorithm: z.enum(JWT_ALGORITHMS).default('HS256'),
    secret: z.string().min(1).max(1024).optional(),
    rsa_public_key: z.string().max(65536).nullable().optional(),
    tags,
  })
  .strict();

/** Kong's entity check: an asymmetric algorithm needs a public key to verify with. */
function needsPublicKey(c: { algorithm: string; rsa_public_key?: string | null }, ctx: z.RefinementCtx): void {
  if (isSymmetricJwtAlgorithm(c.algorithm)) return;
  if (c.rsa_public_key === undefined || c.rsa_public_key === null)
    ctx.addIssue({ code: 'custom', path: ['rsa_public_key'], message: 'required field missing' });
  else if (!PUBLIC_KEY_BLOCK.test(c.rsa_public_key)) ctx.addIssue({ code: 'custom', path: ['rsa_public_key'], message: 'invalid key' });
}

/**
 * A jwt credential as written (`/consumers/{c}/jwt`): with no `key` or no
 * `secret`, the CP generates them (Kong's `auto`); RS/ES/PS/EdDSA need
 * `rsa_public_key`, a PEM public key.
 */
export const jwtInput = jwtFields.superRefine(needsPublicKey);

/** A jwt credential as the API answers it: Kong's Admin API shows `secret` and `rsa_public_key`. */
export const jwtCredential = z.object({
  id: uuid,
  consumer: consumerRef,
  key: z.string(),
  algorithm: z.enum(JWT_ALGORITHMS),
  secret: z.string().nullable(),
  rsa_public_key: z.string().nullable(),
  tags: z.array(z.string()),
  created_at: timestamp,
});

/** A jwt credential as shipped to data planes: what verifying a token needs. */
export const snapshotJwt = z.object({
  id: uuid,
  consumer: consumerRef,
  key: z.string(),
  algorithm: z.enum(JWT_ALGORITHMS),
  secret: z.string().nullable(),
  rsa_public_key: z.string().nullable(),
  tags: z.array(z.string()),
});

/**
 * How a jwt credential is written in a file: `key` and (for HS algorithms)
 * `secret` are required there, since a generated one would differ at every sync.
 */
export const declarativeJwt = jwtFields
  .extend({ key: z.string().min(1).max(1024), secret: z.string().min(1).max(1024).nullable().optional() })
  .superRefine((c, ctx) => {
    needsPublicKey(c, ctx);
    if (isSymmetricJwtAlgorithm(c.algorithm) && (c.secret === undefined || c.secret === null)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'required field missing (a declarative file gives the HS secret)' });
    }
  });
