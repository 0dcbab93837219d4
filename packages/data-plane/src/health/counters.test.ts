import { TargetHealthState, type HealthLimits } from './counters';

const limits = (l: Partial<HealthLimits>): HealthLimits => ({ successes: 0, http_failures: 0, tcp_failures: 0, timeouts: 0, ...l });

describe('target health counters (lua-resty-healthcheck)', () => {
  it('flips to unhealthy when one failure counter reaches its limit, and back after enough successes', () => {
    const s = new TargetHealthState();
    const l = limits({ successes: 2, http_failures: 3 });
    expect(s.record('http_failure', l)).toBe(false);
    expect(s.record('http_failure', l)).toBe(false);
    expect(s.healthy).toBe(true);
    expect(s.state).toBe('mostly_unhealthy');
    expect(s.record('http_failure', l)).toBe(true);
    expect(s.healthy).toBe(false);
    expect(s.counters()).toEqual({ success: 0, http_failure: 0, tcp_failure: 0, timeout: 0 });
    expect(s.record('success', l)).toBe(false);
    expect(s.state).toBe('mostly_healthy');
    expect(s.record('success', l)).toBe(true);
    expect(s.healthy).toBe(true);
    expect(s.state).toBe('healthy');
  });

  it('counts each kind separately: two tcp failures and two timeouts do not add up to a limit of 3', () => {
    const s = new TargetHealthState();
    const l = limits({ tcp_failures: 3, timeouts: 3 });
    for (const e of ['tcp_failure', 'timeout', 'tcp_failure', 'timeout'] as const) expect(s.record(e, l)).toBe(false);
    expect(s.healthy).toBe(true);
    expect(s.record('timeout', l)).toBe(true);
    expect(s.healthy).toBe(false);
  });

  it('a limit of 0 turns that counter off', () => {
    const s = new TargetHealthState();
    for (let i = 0; i < 100; i++) s.record('http_failure', limits({ tcp_failures: 1 }));
    expect(s.healthy).toBe(true);
    expect(s.counters().http_failure).toBe(0);
  });

  it('does not count what only confirms a settled state, and successes do not reset failures below the limit', () => {
    const s = new TargetHealthState();
    const l = limits({ successes: 5, http_failures: 3 });
    s.record('success', l); // healthy already: not counted
    expect(s.counters().success).toBe(0);
    s.record('http_failure', l);
    s.record('success', l);
    s.record('http_failure', l);
    expect(s.counters()).toMatchObject({ success: 1, http_failure: 2 });
    expect(s.record('http_failure', l)).toBe(true);
    s.record('http_failure', l); // unhealthy already: not counted
    expect(s.counters().http_failure).toBe(0);
  });

  it('with successes 0 (passive defaults) an unhealthy target stays so until a manual override', () => {
    const s = new TargetHealthState();
    const l = limits({ http_failures: 1 });
    expect(s.record('http_failure', l)).toBe(true);
    for (let i = 0; i < 10; i++) expect(s.record('success', l)).toBe(false);
    expect(s.healthy).toBe(false);
    expect(s.set(true)).toBe(true);
    expect(s.healthy).toBe(true);
    expect(s.set(true)).toBe(false);
  });
});
