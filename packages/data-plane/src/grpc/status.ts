/**
 * gRPC status codes and Kong's mapping of the gateway's HTTP answers to
 * them (`kong.response.exit` / `kong.response.error` on a gRPC request,
 * kong/pdk/response.lua). docs/PROXY.md, gRPC.
 */

/** gRPC status codes (grpc/doc/statuscodes.md). */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** Kong's names of the codes, which it sends as `grpc-message` when an answer has no message of its own. */
const NAMES: readonly string[] = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

/** Kong's table of HTTP statuses with a gRPC status of their own. */
const FROM_HTTP: ReadonlyMap<number, number> = new Map([
  [200, GRPC_STATUS.OK],
  [400, GRPC_STATUS.INVALID_ARGUMENT],
  [401, GRPC_STATUS.UNAUTHENTICATED],
  [403, GRPC_STATUS.PERMISSION_DENIED],
  [404, GRPC_STATUS.NOT_FOUND],
  [409, GRPC_STATUS.ALREADY_EXISTS],
  [429, GRPC_STATUS.RESOURCE_EXHAUSTED],
  [499, GRPC_STATUS.CANCELLED],
  [500, GRPC_STATUS.INTERNAL],
  [501, GRPC_STATUS.UNIMPLEMENTED],
  [503, GRPC_STATUS.UNAVAILABLE],
  [504, GRPC_STATUS.DEADLINE_EXCEEDED],
]);

/**
 * The gRPC status Kong gives an HTTP status: its table, else by class (any
 * other 5xx is INTERNAL, 4xx INVALID_ARGUMENT, 2xx OK), else UNKNOWN.
 */
export function grpcStatusOf(httpStatus: number): number {
  const mapped = FROM_HTTP.get(httpStatus);
  if (mapped !== undefined) return mapped;
  if (httpStatus >= 500 && httpStatus <= 599) return GRPC_STATUS.INTERNAL;
  if (httpStatus >= 400 && httpStatus <= 499) return GRPC_STATUS.INVALID_ARGUMENT;
  if (httpStatus >= 200 && httpStatus <= 299) return GRPC_STATUS.OK;
  return GRPC_STATUS.UNKNOWN;
}

/** Kong's name of a gRPC status (`Unauthenticated`, `ResourceExhausted`…). */
export function grpcStatusName(code: number): string {
  return NAMES[code] ?? 'Unknown';
}

/** The content type of gRPC (a request is gRPC when its type starts with it: `application/grpc+proto` too). */
export const GRPC_CONTENT_TYPE = 'application/grpc';

/**
 * Kong's `is_grpc_request`: a Content-Type starting with `application/grpc`
 * on an HTTP/2 request. The gateway's own answers to such a request are
 * gRPC statuses rather than JSON.
 */
export function isGrpcRequest(contentType: string | undefined, httpVersionMajor: number): boolean {
  return httpVersionMajor === 2 && contentType?.startsWith(GRPC_CONTENT_TYPE) === true;
}

/**
 * `grpc-message` as the gRPC spec encodes it: percent-encoding of every byte
 * outside printable ASCII and of `%` itself (clients decode it).
 */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Parses a `grpc-timeout` header (an integer of at most 8 digits and a unit:
 * H, M, S, m, u, n) into milliseconds; null when absent or malformed (the
 * call then has no deadline, as gRPC servers treat it).
 */
export function parseGrpcTimeout(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (m === null) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'H':
      return n * 3_600_000;
    case 'M':
      return n * 60_000;
    case 'S':
      return n * 1000;
    case 'm':
      return n;
    case 'u':
      return n / 1000;
    default:
      return n / 1_000_000;
  }
}

/** The units a `grpc-timeout` may be written in, from the finest the gateway sends, with their size in ms. */
const TIMEOUT_UNITS: readonly [string, number][] = [
  ['m', 1],
  ['S', 1000],
  ['M', 60_000],
  ['H', 3_600_000],
];

/**
 * Writes a time left as a `grpc-timeout` value: whole milliseconds (at
 * least 1), in the finest unit that fits the header's 8 digits (rounded up,
 * so the upstream never gets less time than the client gave).
 */
export function formatGrpcTimeout(ms: number): string {
  for (const [unit, size] of TIMEOUT_UNITS) {
    const n = Math.max(1, Math.ceil(ms / size));
    if (n <= 99_999_999) return `${n}${unit}`;
  }
  return '99999999H';
}
