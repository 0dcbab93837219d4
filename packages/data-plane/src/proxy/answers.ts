/**
 * The proxy's own answers (docs/PROXY.md, Gateway answers; Kong's runloop), one place so
 * every status always carries the same message.
 */
export const ANSWERS = {
  noRoute: { status: 404, message: 'no Route matched with those values' },
  noService: { status: 503, message: 'no Service found with those values' },
  badGateway: { status: 502, message: 'An invalid response was received from the upstream server' },
  unavailable: { status: 503, message: 'The upstream server is currently unavailable' },
  noPeer: { status: 503, message: 'failure to get a peer from the ring-balancer' },
  timeout: { status: 504, message: 'The upstream server is timing out' },
  useHttps: { status: 426, message: 'Please use HTTPS protocol' },
  internalError: { status: 500, message: 'An unexpected error occurred' },
  badRequest: { status: 400, message: 'Bad request' },
  versionNotSupported: { status: 505, message: 'HTTP Version Not Supported' },
} as const;
/** One of the gateway's answers: a status and its message. */
export interface Answer {
  readonly status: number;
  readonly message: string;
}

/** The JSON body of a gateway answer: `{"message":…,"request_id":…}`. */
export function answerBody(message: string, requestId: string): string {
  return `{"message":${JSON.stringify(message)},"request_id":"${requestId}"}`;
}
