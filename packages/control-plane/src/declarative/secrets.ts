import { stateKeyOf, type DeclarativeState } from '@gatehouse/protocol';
import { hashPassword, sha256Hex, verifyPassword } from '@gatehouse/protocol/node';

/**
 * Turns the plaintext secrets of a file into what is stored, so the file's
 * state compares with the group's: a key-auth `key` becomes its SHA-256
 * `key_hash` (as the API stores it); a basic-auth `password` keeps the stored
 * hash of the same credential when it still verifies (the hash is salted, so
 * hashing again would always look like a change), else is hashed afresh.
 * Plaintext never leaves this function.
 */
export async function hashFileSecrets(desired: DeclarativeState, current: DeclarativeState): Promise<DeclarativeState> {
  const keyauth = desired.keyauth_credentials.map((e) => {
    const { key, ...rest } = e.fields;
    if (key === undefined) return e;
    const fields = { ...rest, key_hash: sha256Hex(key) };
    return { ...e, key: stateKeyOf('keyauth_credentials', fields), fields };
  });
  const storedHash = new Map(current.basicauth_credentials.map((c) => [`${c.fields.consumer}\n${c.fields.username}`, c.fields.password_hash]));
  const basicauth = await Promise.all(
    desired.basicauth_credentials.map(async (e) => {
      const { password, ...rest } = e.fields;
      if (password === undefined) return e;
      const stored = storedHash.get(`${rest.consumer}\n${rest.username}`);
      const hash = stored !== undefined && (await verifyPassword(password, stored)) ? stored : await hashPassword(password);
      return { ...e, fields: { ...rest, password_hash: hash } };
    }),
  );
  return { ...desired, keyauth_credentials: keyauth, basicauth_credentials: basicauth };
}
