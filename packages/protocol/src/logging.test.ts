import { createLogger, REDACTED, SECRET_LOG_FIELDS } from './logging';

/** A logger from the real factory, writing into an array instead of stdout. */
function capture(): { log: ReturnType<typeof createLogger>; text: () => string } {
  const lines: string[] = [];
  const log = createLogger('test', 'trace', { write: (line: string) => void lines.push(line) });
  return { log, text: () => lines.join('') };
}

describe('createLogger redaction', () => {
  // Each value is unique so a leak names the field and depth it came from.
  const secretAt = (field: string, depth: number): string => `SECRET-${field}-${depth}-x7q`;

  it.each(SECRET_LOG_FIELDS.map((field) => [field]))('never writes the value of %s, at any depth', (field) => {
    const { log, text } = capture();
    log.info({ event: 'e', [field]: secretAt(field, 0) });
    log.info({ event: 'e', outer: { [field]: secretAt(field, 1) } });
    log.info({ event: 'e', req: { headers: { [field]: secretAt(field, 2) } } });
    log.error({ event: 'e', a: { b: { c: [{ d: { [field]: secretAt(field, 5) } }] } } });
    log.info({ event: 'e', [field.toUpperCase()]: secretAt(field, 0) });
    const out = text();
    expect(out).not.toContain('x7q');
    expect(out.split(REDACTED).length - 1).toBe(5);
  });

  it("redacts the properties an Error carries, and a child logger's bindings", () => {
    const { log, text } = capture();
    const err = Object.assign(new Error('upstream said no'), { request: { headers: { authorization: 'Basic leak-1' } } });
    log.error({ event: 'e', err });
    log.child({ session: { token: 'leak-2' }, node_id: 'n1' }).info({ event: 'e' });
    const out = text();
    expect(out).not.toMatch(/leak-\d/);
    expect(out).toContain('upstream said no');
    expect(out).toContain('"node_id":"n1"');
  });

  it('leaves the logged object itself untouched', () => {
    const { log } = capture();
    const settings = { GATEHOUSE_SECRET_KEY: 'kept', nested: { password: 'kept' } };
    log.info({ event: 'e', settings });
    expect(settings).toEqual({ GATEHOUSE_SECRET_KEY: 'kept', nested: { password: 'kept' } });
  });

  it('redacts the headers and stored secrets a request or row would carry', () => {
    const { log, text } = capture();
    log.warn({
      event: 'upstream_failed',
      headers: { authorization: 'Bearer eyJ-leak-1', cookie: 'session=leak-2', 'set-cookie': ['sid=leak-3'], host: 'example.com' },
      user: { email: 'a@example.com', password_hash: 'scrypt$leak-4' },
      credential: { key_hash: 'leak-5', key: 'leak-6' },
      certificate: { cert: '-----BEGIN CERTIFICATE-----', cert_key: '-----BEGIN PRIVATE KEY----- leak-7' },
      oauth: { client_id: 'app', client_secret: 'leak-8', secret: 'leak-9' },
      login: { password: 'leak-10', token: 'gpat_leak-11' },
      settings: { GATEHOUSE_SECRET_KEY: 'leak-12', GATEHOUSE_ADMIN_PASSWORD: 'leak-13' },
    });
    const out = text();
    expect(out).not.toMatch(/leak-\d+/);
    // What is not a secret still reaches the log.
    for (const kept of ['upstream_failed', 'example.com', 'a@example.com', 'BEGIN CERTIFICATE', '"client_id":"app"']) {
      expect(out).toContain(kept);
    }
  });

  it('writes one JSON line per event with its name, level and ISO time', () => {
    const { log, text } = capture();
    log.info({ event: 'started' }, 'hello');
    const line = JSON.parse(text()) as Record<string, unknown>;
    expect(line).toMatchObject({ name: 'test', level: 30, event: 'started', msg: 'hello', pid: process.pid });
    expect(typeof line.time).toBe('string');
  });
});
