import pino from 'pino';

/** Structured logs: one JSON line per event, with an `event` field naming it. */
export type Logger = pino.Logger;

/**
 * Field names whose values are secrets wherever they appear in a log object:
 * credentials and their stored forms, key material, and the HTTP headers that
 * carry them. One list for the control plane and the data plane, so a field
 * safe to log in one process is never leaked by the other. Compared without
 * case, as header names are.
 */
export const SECRET_LOG_FIELDS: readonly string[] = [
  'password',
  'password_hash',
  'passwordHash',
  'token',
  'token_hash',
  'tokenHash',
  'access_token',
  'refresh_token',
  'key',
  'key_hash',
  'keyHash',
  'key_enc',
  'keyEnc',
  'ca_key_enc',
  'caKeyEnc',
  'cert_key',
  'private_key',
  'privateKey',
  'secret',
  'secret_key',
  'client_secret',
  'apikey',
  'GATEHOUSE_ADMIN_PASSWORD',
  'GATEHOUSE_SECRET_KEY',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
];

const SECRET_NAMES = new Set(SECRET_LOG_FIELDS.map((field) => field.toLowerCase()));

/**
 * How deep a log object is searched for secret fields. Log objects are small;
 * the cap keeps a cyclic or huge object from costing more than a few levels.
 */
const REDACT_DEPTH = 8;

/** The censor written in place of a secret. */
export const REDACTED = '[redacted]';

/**
 * A copy of `value` with every secret field, at any depth up to the cap, replaced
 * by the censor; untouched branches are shared, and the caller's object is never
 * changed. Only plain objects and arrays are entered: Errors reach the `err`
 * serializer first, whose plain result is redacted in turn.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth >= REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const redacted = redactSecrets(value[i], depth + 1);
      if (redacted !== value[i]) (copy ??= value.slice())[i] = redacted;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const fields = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(fields)) {
    const original = fields[name];
    const redacted = original !== undefined && SECRET_NAMES.has(name.toLowerCase()) ? REDACTED : redactSecrets(original, depth + 1);
    if (redacted !== original) (copy ??= { ...fields })[name] = redacted;
  }
  return copy ?? value;
}

/** pino's `err` serializer, whose result (not a plain object) is copied so its fields are redacted too. */
function serializeError(err: Error): unknown {
  const serialized: unknown = pino.stdSerializers.err(err);
  return serialized !== null && typeof serialized === 'object' ? redactSecrets({ ...serialized }) : serialized;
}

/**
 * The one logger factory of every Gatehouse process: JSON lines with an ISO
 * time, the pid, the process's name, and every secret field redacted.
 * `destination` is for tests; processes log to stdout.
 *
 * Redaction is one walk of each log object rather than pino's `redact` paths:
 * paths cannot say "any depth", and the wildcard paths this list needs cost
 * 50–250 µs a line (measured), which a data plane logging a failing upstream
 * per request cannot afford.
 */
export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    serializers: { err: serializeError },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino gives children no bindings formatter; children inherit this from the root.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each child logger as `this`
  const child: (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger = logger.child;
  logger.child = function (this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) {
    return child.call(this, redactSecrets(bindings) as pino.Bindings, childOptions);
  } as unknown as Logger['child'];
  return logger;
}
