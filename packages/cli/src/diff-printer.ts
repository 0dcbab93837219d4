import { KINDS, type ConfigSyncAnswer, type DiffEntry } from '@gatehouse/protocol';
import type { Colours } from './colour';

const VERB: Record<DiffEntry['action'], string> = { create: 'creating', update: 'updating', delete: 'deleting' };

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The diff as decK prints it: one line per change (`creating service a`),
 * changed fields of updates indented below, then the summary counts.
 * Creates green, updates yellow, deletes red when colour is on.
 */
export function formatDiff(answer: ConfigSyncAnswer, c: Colours): string {
  const paint = { create: c.green, update: c.yellow, delete: c.red };
  const lines: string[] = [];
  for (const e of answer.changes) {
    const where = e.source ? c.dim(` (${e.source})`) : '';
    lines.push(paint[e.action](`${VERB[e.action]} ${KINDS[e.kind].noun} ${e.key}`) + where);
    for (const [field, { from, to }] of Object.entries(e.changes ?? {})) {
      lines.push(`    ${field}: ${c.red(show(from))} → ${c.green(show(to))}`);
    }
  }
  if (lines.length === 0) lines.push('no differences');
  const s = answer.summary;
  lines.push('', c.bold('Summary:'), `  Created: ${s.creates}`, `  Updated: ${s.updates}`, `  Deleted: ${s.deletes}`);
  return `${lines.join('\n')}\n`;
}

/** Whether a diff has any change. */
export function hasChanges(answer: ConfigSyncAnswer): boolean {
  return answer.summary.creates + answer.summary.updates + answer.summary.deletes > 0;
}
