import { z } from 'zod';
import { envVariableName, parseReference, resolveReference, type VaultSources } from './reference';
import { gatehouseSecretNames, mapReferences, NOT_REFERENCEABLE, referenceable, referenceIssues } from './referenceable';

const parsed = (ref: string) => {
  const p = parseReference(ref);
  if (!p.ok) throw new Error(p.error);
  return p.reference;
};

describe('parseReference (Kong rules)', () => {
  it('splits vault, resource, JSON key, options and version', () => {
    expect(parsed('{vault://env/cert/key?prefix=SSL_#1}')).toEqual({ vault: 'env', resource: 'cert', key: 'key', options: { prefix: 'SSL_' }, version: 1 });
    expect(parsed('{vault://gatehouse/db-creds}')).toEqual({ vault: 'gatehouse', resource: 'db-creds', key: null, options: {}, version: null });
    // A trailing slash makes the whole path the resource.
    expect(parsed('{vault://env/a/b/}')).toMatchObject({ resource: 'a/b', key: null });
  });

  it("answers Kong's messages for malformed references", () => {
    const error = (ref: string) => (parseReference(ref) as { error: string }).error;
    expect(error('{vault://env}')).toBe('reference url is missing path [{vault://env}]');
    expect(error('{vault://env/}')).toBe('reference url has empty path [{vault://env/}]');
    expect(error('{vault:///x}')).toBe('reference url is missing host [{vault:///x}]');
    expect(error('{vault://env/x#two}')).toBe('reference url has invalid version [{vault://env/x#two}]');
    expect(error('{vault://aws/x}')).toBe('could not find vault (aws)');
    expect(error('{vault://env/x')).toContain('not a reference');
    expect(error('{vault://env/x?region=eu}')).toContain("no option 'region'");
    expect(error('{vault://env/x?prefix=1A}')).toContain('invalid prefix');
    expect(error('{vault://gatehouse/x#2}')).toContain('keeps no versions');
    expect(error('{vault://gatehouse/a b}')).toContain('invalid secret name');
  });
});

describe("the env vault's variable names", () => {
  it('upper-cases, turns dashes into underscores, adds the prefix, and _PREVIOUS for version 2', () => {
    expect(envVariableName(parsed('{vault://env/redis-password}'))).toBe('REDIS_PASSWORD');
    expect(envVariableName(parsed('{vault://env/cert?prefix=ssl-}'))).toBe('SSL_CERT');
    expect(envVariableName(parsed('{vault://env/token#2}'))).toBe('TOKEN_PREVIOUS');
  });
});

describe('resolveReference', () => {
  const sources: VaultSources = {
    env: (n) => ({ REDIS_PASSWORD: 'from-env', CREDS: '{"user":"u","port":5432}' })[n],
    gatehouse: (n) => ({ 'db-creds': '{"password":"p"}' })[n],
  };
  it('reads the environment, the store and a field of a JSON secret', () => {
    expect(resolveReference('{vault://env/redis-password}', sources)).toEqual({ ok: true, value: 'from-env' });
    expect(resolveReference('{vault://env/creds/user}', sources)).toEqual({ ok: true, value: 'u' });
    expect(resolveReference('{vault://gatehouse/db-creds/password}', sources)).toEqual({ ok: true, value: 'p' });
  });
  it("answers Kong's reasons when it cannot", () => {
    expect(resolveReference('{vault://env/missing}', sources)).toEqual({ ok: false, error: 'no value found' });
    expect(resolveReference('{vault://env/creds/nope}', sources)).toEqual({
      ok: false,
      error: 'could not get subfield value: subfield nope not found in JSON secret',
    });
    expect(resolveReference('{vault://env/creds/constructor}', sources)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not found in JSON secret'),
    });
    expect(resolveReference('{vault://env/creds/port}', sources)).toMatchObject({ ok: false, error: expect.stringContaining('unexpected number value') });
    expect(resolveReference('{vault://env/redis-password/x}', sources)).toMatchObject({ ok: false, error: expect.stringContaining('unable to json decode') });
  });
});

describe('referenceable fields', () => {
  const schema = z
    .object({
      password: referenceable(z.string().min(1, 'length must be at least 1').nullable().default(null)),
      message: z.string().default('hi'),
      nested: z.object({ list: z.array(z.string()) }).optional(),
      opaque: z.record(z.string(), z.unknown()).optional(),
    })
    .strict();

  it('accept a reference, skipping the inner checks, and keep the inner messages otherwise', () => {
    expect(schema.parse({})).toEqual({ password: null, message: 'hi' });
    expect(schema.parse({ password: '{vault://env/X}' }).password).toBe('{vault://env/X}');
    expect(schema.safeParse({ password: '' }).error?.issues[0]?.message).toBe('length must be at least 1');
  });

  it('name references in other fields and malformed ones; leave unknown-typed fields to their own schema', () => {
    expect(
      referenceIssues(schema, {
        password: '{vault://env}',
        message: '{vault://env/M}',
        nested: { list: ['a', '{vault://env/L}'] },
        opaque: { x: '{vault://env/O}' },
      }),
    ).toEqual([
      { path: ['password'], message: 'reference url is missing path [{vault://env}]' },
      { path: ['message'], message: NOT_REFERENCEABLE },
      { path: ['nested', 'list', 1], message: NOT_REFERENCEABLE },
    ]);
  });

  it('are replaced by mapReferences without touching the input; gatehouse names are collected from anywhere', () => {
    const input = { password: '{vault://gatehouse/pw}', message: '{vault://env/M}' };
    expect(mapReferences(schema, input, () => 'secret')).toEqual({ password: 'secret', message: '{vault://env/M}' });
    expect(input.password).toBe('{vault://gatehouse/pw}');
    expect([...gatehouseSecretNames({ plugins: [{ config: input }], other: ['{vault://gatehouse/b}', '{vault://gatehouse/bad name}'] })].sort()).toEqual([
      'b',
      'pw',
    ]);
  });
});

describe('the reference walk on hostile input', () => {
  it('stops at depth 64 instead of exhausting the stack', () => {
    let deep: unknown = '{vault://env/X}';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(referenceIssues(z.object({}).strict(), deep)).toEqual([]);
    expect([...gatehouseSecretNames(deep)]).toEqual([]);
  });
});

describe('the reference walk and inherited names', () => {
  it("takes 'constructor' and '__proto__' keys as unknown fields, not Object's members", () => {
    const schema = z.object({ a: z.string() }).strict();
    const body = JSON.parse('{"constructor":"x","__proto__":{"toString":"{vault://env/X}"},"a":"{vault://env/Y}"}') as unknown;
    expect(referenceIssues(schema, body).map((i) => i.path)).toEqual([['__proto__', 'toString'], ['a']]);
  });
});
