import { dpMessage, issuesToFields, type DpMessage } from '@gatehouse/protocol';

export type Decoded = { ok: true; msg: DpMessage } | { ok: false; fields: Record<string, string> };

/**
 * Reads one frame from a DP: a JSON text frame that matches one of the DP
 * message schemas. Anything else is described field by field, so the DP's
 * log says what to fix.
 */
export function decodeDpMessage(data: unknown, isBinary: boolean): Decoded {
  if (isBinary) return { ok: false, fields: { '@message': 'expected a JSON text frame' } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(data));
  } catch {
    return { ok: false, fields: { '@message': 'not JSON' } };
  }
  const result = dpMessage.safeParse(parsed);
  return result.success ? { ok: true, msg: result.data } : { ok: false, fields: issuesToFields(result.error.issues) };
}
