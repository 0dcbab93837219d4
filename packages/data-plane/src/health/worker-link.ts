import type { UpstreamHealthReport } from '@gatehouse/protocol';
import type { HealthCheckers } from './checkers';

/** How long a burst of changes is gathered into one report to the primary. */
const REPORT_DELAY_MS = 100;

/** A proxy worker's side: its health report to the primary shortly after each change (workers/messages.ts `health`). */
export function reportHealthToPrimary(checkers: HealthCheckers, send: (upstreams: UpstreamHealthReport[]) => void): void {
  let timer: NodeJS.Timeout | undefined;
  checkers.onChange(() => {
    timer ??= setTimeout(() => {
      timer = undefined;
      send(checkers.report());
    }, REPORT_DELAY_MS);
  });
}
