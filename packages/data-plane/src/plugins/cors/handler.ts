import type { OutgoingHttpHeaders } from 'node:http';
import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import { isLiteralOrigin } from './origin-pattern';
import { compileOrigins, matchOrigin, type OriginRule } from './origins';
import type { CorsConfig } from './schema';

interface Prepared {
  allowAll: boolean;
  /** A single literal origin, always sent as Access-Control-Allow-Origin. */
  fixedOrigin: string | null;
  rules: OriginRule[];
  credentials: boolean;
  allowHeaders: string | null;
  exposeHeaders: string | null;
  methods: string;
  maxAge: string | null;
  privateNetwork: boolean;
  preflightContinue: boolean;
  allowOriginAbsent: boolean;
}

const SKIP = 'cors:preflight';

function addVary(h: OutgoingHttpHeaders): void {
  const cur = h.vary;
  if (cur === undefined) h.vary = 'Origin';
  else if (!cur.split(',').some((v) => v.trim().toLowerCase() === 'origin')) h.vary = `${cur}, Origin`;
}

/** Sets Access-Control-Allow-Origin (and Vary); answers whether every origin is allowed. */
function configureOrigin(p: Prepared, h: OutgoingHttpHeaders, origin: string | undefined): boolean {
  if (p.allowAll) {
    h['access-control-allow-origin'] = '*';
    return true;
  }
  addVary(h);
  if (p.fixedOrigin !== null) {
    h['access-control-allow-origin'] = p.fixedOrigin;
    return false;
  }
  const allowed = origin === undefined ? null : matchOrigin(p.rules, origin);
  if (allowed !== null) h['access-control-allow-origin'] = allowed;
  else delete h['access-control-allow-origin'];
  return false;
}

function configureCredentials(p: Prepared, h: OutgoingHttpHeaders, allowAll: boolean, origin: string | undefined): void {
  if (!p.credentials) return;
  if (!allowAll) {
    h['access-control-allow-credentials'] = 'true';
    return;
  }
  // A credentialed answer cannot say '*': echo the request's origin instead.
  if (origin !== undefined) {
    addVary(h);
    h['access-control-allow-origin'] = origin;
    h['access-control-allow-credentials'] = 'true';
  }
}

/** cors (priority 2000): answers preflights itself and adds CORS headers to other answers. */
export const corsHandler: PluginHandler<CorsConfig, Prepared> = {
  name: 'cors',
  priority: 2000,
  prepare(conf) {
    const origins = conf.origins ?? [];
    const allowAll = origins.length === 0 || origins.includes('*');
    const [first] = origins;
    const single = origins.length === 1 && first !== undefined ? first : null;
    return {
      allowAll,
      fixedOrigin: !allowAll && single !== null && isLiteralOrigin(single) ? single : null,
      rules: allowAll ? [] : compileOrigins(origins),
      credentials: conf.credentials,
      allowHeaders: conf.headers && conf.headers.length > 0 ? conf.headers.join(',') : null,
      exposeHeaders: conf.exposed_headers && conf.exposed_headers.length > 0 ? conf.exposed_headers.join(',') : null,
      methods: conf.methods.join(','),
      maxAge: conf.max_age === null ? null : String(conf.max_age),
      privateNetwork: conf.private_network,
      preflightContinue: conf.preflight_continue,
      allowOriginAbsent: conf.allow_origin_absent,
    };
  },
  access(ctx: PluginContext, p) {
    const origin = ctx.header('origin');
    if (ctx.method !== 'OPTIONS' || origin === undefined || ctx.header('access-control-request-method') === undefined) return;
    ctx.set(SKIP, true);
    if (p.preflightContinue) return;
    const h: OutgoingHttpHeaders = {};
    const allowAll = configureOrigin(p, h, origin);
    configureCredentials(p, h, allowAll, origin);
    const requested = ctx.header('access-control-request-headers');
    if (p.allowHeaders !== null) h['access-control-allow-headers'] = p.allowHeaders;
    else if (requested !== undefined) h['access-control-allow-headers'] = requested;
    h['access-control-allow-methods'] = p.methods;
    if (p.maxAge !== null) h['access-control-max-age'] = p.maxAge;
    if (p.privateNetwork && ctx.header('access-control-request-private-network') === 'true') h['access-control-allow-private-network'] = 'true';
    ctx.exit(200, undefined, h);
  },
  headerFilter(ctx, p) {
    if (ctx.get(SKIP) === true) return;
    const origin = ctx.header('origin');
    if (origin === undefined && !p.allowOriginAbsent) return;
    const h = ctx.responseHeaders;
    const allowAll = configureOrigin(p, h, origin);
    configureCredentials(p, h, allowAll, origin);
    if (p.exposeHeaders !== null) h['access-control-expose-headers'] = p.exposeHeaders;
  },
};
