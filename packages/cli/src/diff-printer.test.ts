import type { ConfigSyncAnswer } from '@gatehouse/protocol';
import { coloursFor } from './colour';
import { formatDiff, hasChanges } from './diff-printer';

const answer: ConfigSyncAnswer = {
  dry_run: true,
  summary: { creates: 1, updates: 1, deletes: 1 },
  changes: [
    { action: 'create', kind: 'services', key: 'a', source: 'services[0]' },
    { action: 'update', kind: 'routes', key: 'r', source: 'services[0].routes[0]', changes: { paths: { from: ['/old'], to: ['/new'] } } },
    { action: 'delete', kind: 'plugins', key: 'cors (service=a)' },
  ],
  warnings: [],
};

describe('diff output', () => {
  it('prints one line per change, changed fields below, then the summary', () => {
    expect(formatDiff(answer, coloursFor({ isTTY: false }, {}))).toBe(
      [
        'creating service a (services[0])',
        'updating route r (services[0].routes[0])',
        '    paths: ["/old"] → ["/new"]',
        'deleting plugin cors (service=a)',
        '',
        'Summary:',
        '  Created: 1',
        '  Updated: 1',
        '  Deleted: 1',
        '',
      ].join('\n'),
    );
  });

  it('colours creates green, updates yellow and deletes red on a terminal, unless NO_COLOR', () => {
    const out = formatDiff(answer, coloursFor({ isTTY: true }, {}));
    expect(out).toContain('\u001b[32mcreating service a\u001b[39m');
    expect(out).toContain('\u001b[33mupdating route r\u001b[39m');
    expect(out).toContain('\u001b[31mdeleting plugin cors (service=a)\u001b[39m');
    expect(formatDiff(answer, coloursFor({ isTTY: true }, { NO_COLOR: '1' }))).not.toContain('\u001b[');
  });

  it('says when there is nothing to do', () => {
    const none = { ...answer, summary: { creates: 0, updates: 0, deletes: 0 }, changes: [] };
    expect(formatDiff(none, coloursFor({}, {}))).toMatch(/^no differences\n/);
    expect(hasChanges(none)).toBe(false);
    expect(hasChanges(answer)).toBe(true);
  });
});
