import type { AnyPluginHandler } from './types';
import { aclHandler } from './acl/handler';
import { basicAuthHandler } from './basic-auth/handler';
import { correlationIdHandler } from './correlation-id/handler';
import { corsHandler } from './cors/handler';
import { ipRestrictionHandler } from './ip-restriction/handler';
import { keyAuthHandler } from './key-auth/handler';
import { jwtHandler } from './jwt/handler';
import { hmacAuthHandler } from './hmac-auth/handler';
import { postFunctionHandler } from './post-function/handler';
import { preFunctionHandler } from './pre-function/handler';
import { prometheusHandler } from './prometheus/handler';
import { rateLimitingHandler } from './rate-limiting/handler';
import { requestSizeLimitingHandler } from './request-size-limiting/handler';
import { requestTerminationHandler } from './request-termination/handler';
import { requestTransformerHandler } from './request-transformer/handler';
import { responseTransformerHandler } from './response-transformer/handler';
import { opentelemetryHandler } from './opentelemetry/handler';
import { statsdHandler } from './statsd/handler';
import { proxyCacheHandler } from './proxy-cache/handler';
import { httpLogHandler } from './http-log/handler';
import { fileLogHandler } from './file-log/handler';
import { tcpLogHandler } from './tcp-log/handler';
import { udpLogHandler } from './udp-log/handler';
import { syslogHandler } from './syslog/handler';

/**
 * Every plugin's handler by name (the DP side of the registry; schemas.ts is
 * the side the CP loads). A test checks both have the same names.
 */
export const PLUGIN_HANDLERS: ReadonlyMap<string, AnyPluginHandler> = new Map<string, AnyPluginHandler>(
  (
    [
      aclHandler,
      basicAuthHandler,
      correlationIdHandler,
      corsHandler,
      ipRestrictionHandler,
      keyAuthHandler,
      jwtHandler,
      hmacAuthHandler,
      postFunctionHandler,
      preFunctionHandler,
      prometheusHandler,
      rateLimitingHandler,
      requestSizeLimitingHandler,
      requestTerminationHandler,
      requestTransformerHandler,
      responseTransformerHandler,
      opentelemetryHandler,
      statsdHandler,
      proxyCacheHandler,
      httpLogHandler,
      fileLogHandler,
      tcpLogHandler,
      udpLogHandler,
      syslogHandler,
    ] as AnyPluginHandler[]
  ).map((h) => [h.name, h]),
);
