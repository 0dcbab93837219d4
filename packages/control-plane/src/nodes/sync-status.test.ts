import { computeSyncStatus, type GroupSyncFacts, type NodeSyncFacts } from './sync-status';

const NOW = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

const node = (over: Partial<NodeSyncFacts> = {}): NodeSyncFacts => ({
  lastSeen: ago(1000),
  configHash: H1,
  hashSince: ago(60_000),
  rejectedHash: null,
  incompatible: null,
  ...over,
});
const group = (over: Partial<GroupSyncFacts> = {}): GroupSyncFacts => ({ expectedHash: H1, changedAt: ago(120_000), ...over });

describe('computeSyncStatus (docs/CLUSTER.md, Nodes and sync status)', () => {
  it('is Connected when pinging within 30 s on the current hash', () => {
    expect(computeSyncStatus(node({ lastSeen: ago(29_999) }), group(), NOW)).toBe('Connected');
  });

  it('is Disconnected after 30 s without a ping, whatever else holds', () => {
    expect(computeSyncStatus(node({ lastSeen: ago(30_000) }), group(), NOW)).toBe('Disconnected');
    expect(computeSyncStatus(node({ lastSeen: ago(40_000), incompatible: 'old' }), group(), NOW)).toBe('Disconnected');
  });

  it('is Incompatible when the CP may send it nothing', () => {
    expect(computeSyncStatus(node({ incompatible: 'data plane lacks plugins: cors' }), group(), NOW)).toBe('Incompatible');
  });

  it('is Out of sync when it rejected the current snapshot', () => {
    expect(computeSyncStatus(node({ rejectedHash: H2, configHash: H1 }), group({ expectedHash: H2, changedAt: ago(1000) }), NOW)).toBe('Out of sync');
  });

  it('is Out of sync only after more than 10 s on another hash, counted from the later of its hash change and the config change', () => {
    const onOld = node({ configHash: H1, hashSince: ago(600_000) });
    expect(computeSyncStatus(onOld, group({ expectedHash: H2, changedAt: ago(5_000) }), NOW)).toBe('Connected');
    expect(computeSyncStatus(onOld, group({ expectedHash: H2, changedAt: ago(10_001) }), NOW)).toBe('Out of sync');
    expect(computeSyncStatus(node({ configHash: H1, hashSince: ago(2_000) }), group({ expectedHash: H2, changedAt: ago(600_000) }), NOW)).toBe('Connected');
  });

  it('forgets a rejection of an older snapshot', () => {
    expect(computeSyncStatus(node({ rejectedHash: H2 }), group({ expectedHash: H1 }), NOW)).toBe('Connected');
  });
});
