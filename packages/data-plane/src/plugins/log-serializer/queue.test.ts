import type { Logger } from '../../logging';
import { LogQueue } from './queue';
import { queueSchema } from './queue-schema';

function quietLog(warns: Record<string, unknown>[]): Logger {
  return { warn: (o: Record<string, unknown>) => warns.push(o), info: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;
}

describe('LogQueue', () => {
  it('retries a failed batch with backoff, then delivers it', async () => {
    const calls: string[][] = [];
    let fail = 2;
    const q = new LogQueue(
      't',
      queueSchema.parse({ initial_retry_delay: 0.005 }),
      (b) => {
        calls.push(b);
        return Promise.resolve(fail-- <= 0);
      },
      quietLog([]),
    );
    q.add('a');
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toEqual([['a'], ['a'], ['a']]);
  });

  it('drops the oldest entries beyond max_entries and gives up after max_retry_time, counting each loss', async () => {
    const warns: Record<string, unknown>[] = [];
    const q = new LogQueue(
      't',
      queueSchema.parse({ max_entries: 2, max_retry_time: 0.05, initial_retry_delay: 0.01 }),
      () => Promise.reject(new Error('down')),
      quietLog(warns),
    );
    for (const e of ['1', '2', '3', '4', '5']) q.add(e);
    // '1' is in flight; '2','3' were dropped for '4','5'.
    expect(q.length).toBe(2);
    expect(q.dropped).toBe(2);
    await new Promise((r) => setTimeout(r, 400));
    expect(q.dropped).toBe(5);
    expect(warns.some((w) => w.event === 'log_queue_dropped')).toBe(true);
    expect(warns.some((w) => w.event === 'log_queue_batch_failed')).toBe(true);
  });
});
