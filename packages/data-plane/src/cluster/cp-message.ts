import { cpMessage, fieldPath, type CpMessage } from '@gatehouse/protocol';

/**
 * Parses the JSON text of one control-plane frame and checks its envelope
 * with `cpMessage`; a snapshot's `config` is left unchecked here so that a
 * bad config can be answered with `rejected`. Throws a readable error.
 */
export function parseCpMessage(text: string): CpMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('frame is not JSON');
  }
  const parsed = cpMessage.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid message: ${issue ? `${fieldPath(issue.path)}: ${issue.message}` : 'unknown shape'}`);
  }
  return parsed.data;
}
