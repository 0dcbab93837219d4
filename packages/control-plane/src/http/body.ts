import express, { type RequestHandler } from 'express';
import { ApiError, schemaViolation } from './api-error';

/** The largest request body the API reads; larger ones answer 413 `payload_too_large`. */
export const BODY_LIMIT = '1mb';

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
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, why: 'must not contain NUL characters' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return { path, why: `nested too deeply (at most ${MAX_BODY_DEPTH} levels)` };
    const children: Array<{ value: unknown; path: string; depth: number }> = [];
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
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as (typeof children)[number]);
  }
  return null;
}

/**
 * Parses JSON (and YAML as text) bodies up to BODY_LIMIT, and refuses any
 * other body on a write with 415 before a handler sees it. A write without a
 * body is fine (logout, renew). Strings with NUL characters (PostgreSQL cannot
 * store them) and bodies nested deeper than MAX_BODY_DEPTH are refused with 400. Malformed JSON and oversize bodies are turned
 * into 400/413 by the error handler.
 */
export function bodyParsers(): RequestHandler[] {
  const refuseOtherTypes: RequestHandler = (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.method === 'DELETE') return next();
    if (!hasBody(req.headers)) return next();
    if (req.is([...JSON_TYPES, ...YAML_TYPES])) return next();
    throw new ApiError('unsupported_media_type', `request bodies must be application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`);
  };
  return [
    refuseOtherTypes,
    express.json({ limit: BODY_LIMIT, type: JSON_TYPES, strict: false }),
    express.text({ limit: BODY_LIMIT, type: YAML_TYPES }),
    (req, _res, next) => {
      const problem = findUnstorable(req.body);
      if (problem !== null) throw schemaViolation({ [problem.path || '@body']: problem.why });
      next();
    },
  ];
}
