/** Why an upstream attempt failed; decides the answer (502/503/504) and whether to retry. */
export type UpstreamFailure = 'refused' | 'reset' | 'dns' | 'connect_timeout' | 'write_timeout' | 'read_timeout' | 'error';

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL']);

/** Classifies a socket/request error. Timeouts are tagged by the code `sendUpstream` gives them. */
export function classifyFailure(err: NodeJS.ErrnoException): UpstreamFailure {
  const code = err.code ?? '';
  if (code === 'GATEHOUSE_CONNECT_TIMEOUT') return 'connect_timeout';
  if (code === 'GATEHOUSE_WRITE_TIMEOUT') return 'write_timeout';
  if (code === 'GATEHOUSE_READ_TIMEOUT') return 'read_timeout';
  if (CONNECT_ERRORS.has(code)) return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset';
  return 'error';
}

/** The gateway answer for a failure that used up its tries: Kong's statuses. */
export function failureStatus(f: UpstreamFailure): 502 | 503 | 504 {
  if (f === 'connect_timeout' || f === 'write_timeout' || f === 'read_timeout') return 504;
  if (f === 'dns') return 503;
  return 502;
}
