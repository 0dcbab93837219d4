import { TextDecoder } from 'node:util';
import type { Request, RequestHandler } from 'express';
import { ApiError, schemaViolation } from './api-error';
import { readBody } from './read-body';

/** The largest request body an authenticated caller may send; larger ones answer 413 `payload_too_large`. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The largest body a route without a token (login) reads: a login is a few
 * hundred bytes, and a caller nobody has authenticated must not buy more work.
 */
export const PUBLIC_BODY_LIMIT = 16 * 1024;

const JSON_TYPES = ['application/json', 'application/*+json'];
// Declarative config files may come as YAML; they reach handlers as a string.
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  return headers['content-length'] !== undefined && headers['content-length'] !== '0';
}

/** Deeper bodies are refused: no entity needs more, and walking (or validating) them recursively would overflow the stack. */
export const MAX_BODY_DEPTH = 64;

/**
 * The first problem PostgreSQL or the validators could not cope with: a string
 * (value or key) holding a NUL character, or nesting deeper than
 * MAX_BODY_DEPTH. Walks with its own stack, so no body can overflow ours.
 */
function findUnstorable(body: unknown): { path: string; why: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, why: 'must not contain NUL characters' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return { path, why: `nested too deeply (at most ${MAX_BODY_DEPTH} levels)` };
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(value)) {
      value.forEach((v, i) => children.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [k, v] of Object.entries(value)) {
        const here = path === '' ? k : `${path}.${k}`;
        if (k.includes('\u0000')) return { path: here, why: 'must not contain NUL characters' };
        children.push({ value: v, path: here, depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so the first problem in document order is the one reported.
    for (const child of children.reverse()) stack.push(child);
  }
  return null;
}

/** The body's text in the charset its Content-Type names (UTF-8 when none); JSON only in a UTF charset. */
function decode(req: Request, raw: Buffer, json: boolean): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  const refused = new ApiError('unsupported_media_type', `unsupported charset "${charset.toUpperCase()}"`);
  if (json && !charset.startsWith('utf-')) throw refused;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw refused;
  }
  return decoder.decode(raw);
}

/**
 * Reads and parses a JSON (or YAML, kept as text) body of at most `limit`
 * bytes into `req.body`. Compressed bodies are refused (415): inflating one
 * would spend work on more bytes than the limit counts.
 */
function parseBody(limit: number): RequestHandler {
  return async (req, _res, next) => {
    // A request with Content-Length: 0 has an empty body; only one with none at all has no body.
    if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) return next();
    const json = typeof req.is(JSON_TYPES) === 'string';
    if (!json && typeof req.is(YAML_TYPES) !== 'string') return next();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') throw new ApiError('unsupported_media_type', `content encoding "${encoding}" is not supported: send the body uncompressed`);
    const text = decode(req, await readBody(req, limit), json);
    if (!json) {
      req.body = text;
      return next();
    }
    if (text.length === 0) {
      req.body = {};
      return next();
    }
    try {
      req.body = JSON.parse(text) as unknown;
    } catch (err) {
      throw new ApiError('invalid_json', `malformed JSON body: ${err instanceof Error ? err.message : 'cannot parse'}`, { '@body': 'malformed JSON' });
    }
    next();
  };
}

/**
 * Parses JSON (and YAML as text) bodies up to `limit` bytes, and refuses any
 * other body on a write with 415 before a handler sees it. A write without a
 * body is fine (logout, renew). Bodies over the limit: 413, read no further
 * than the limit (see readBody). Malformed JSON: 400. Strings with NUL
 * characters (PostgreSQL cannot store them) and bodies nested deeper than
 * MAX_BODY_DEPTH are refused with 400.
 */
function parsers(limit: number): RequestHandler[] {
  const refuseOtherTypes: RequestHandler = (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.method === 'DELETE') return next();
    if (!hasBody(req.headers)) return next();
    if (req.is([...JSON_TYPES, ...YAML_TYPES])) return next();
    throw new ApiError('unsupported_media_type', `request bodies must be application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`);
  };
  return [
    refuseOtherTypes,
    parseBody(limit),
    (req, _res, next) => {
      const problem = findUnstorable(req.body);
      if (problem !== null) throw schemaViolation({ [problem.path || '@body']: problem.why });
      next();
    },
  ];
}

/** The body parsers of authenticated routes (mounted behind the auth middleware): BODY_LIMIT. */
export function bodyParsers(): RequestHandler[] {
  return parsers(BODY_LIMIT);
}

/** The body parsers of a route that needs no token (login), mounted on the route itself: PUBLIC_BODY_LIMIT. */
export function publicBodyParsers(): RequestHandler[] {
  return parsers(PUBLIC_BODY_LIMIT);
}
