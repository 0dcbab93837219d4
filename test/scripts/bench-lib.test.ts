/** Pure parts of the benchmark scripts (scripts/bench/lib, plain JavaScript): reading h2load, naming what to install, a DP's start failure. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseH2load } = require('../../scripts/bench/lib/h2load.js') as {
  parseH2load: (out: string) => { rps: number; requests: number; failed: number; non2xx: number; mean: number; protocol: string | null };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installHint, ToolMissing, findTool } = require('../../scripts/bench/lib/tools.js') as {
  installHint: (name: string) => string;
  ToolMissing: new (name: string) => Error & { tool: string };
  findTool: (name: string) => string | null;
};

// The summary h2load 1.52 prints (a run against nginx over TLS).
const H2LOAD_OK = `Application protocol: h2
Stopped all clients for thread #0

finished in 1.01s, 2990.00 req/s, 1.59MB/s
requests: 2990 total, 2994 started, 2990 done, 2990 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 2990 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 1.59MB (1671508) total, 157.68KB (161460) headers (space savings 49.06%), 1.39MB (1456130) data
                     min         max         mean         sd        +/- sd
time for request:      141us     29.48ms      1.28ms      2.38ms    91.67%
time for connect:     3.43ms      7.79ms      5.61ms      3.08ms   100.00%
`;

describe('bench: h2load summary', () => {
  it('reads req/s, the mean request time, the counts and the protocol spoken', () => {
    expect(parseH2load(H2LOAD_OK)).toEqual({ rps: 2990, requests: 2990, failed: 0, non2xx: 0, mean: 1.28, protocol: 'h2' });
  });

  it('counts failed, errored and timed-out requests, and 3xx–5xx answers', () => {
    const bad = H2LOAD_OK.replace('2990 succeeded, 0 failed, 0 errored, 0 timeout', '2980 succeeded, 4 failed, 5 errored, 1 timeout').replace(
      '0 4xx, 0 5xx',
      '7 4xx, 3 5xx',
    );
    expect(parseH2load(bad)).toMatchObject({ failed: 10, non2xx: 10 });
  });

  it('refuses output without a summary (h2load stopped early)', () => {
    expect(() => parseH2load('starting benchmark...\nStopped all clients for thread #0\n')).toThrow(/unexpected output/);
  });
});

describe('bench: a missing peer or load tool', () => {
  it('names the Debian package to install and the prerequisites script', () => {
    expect(installHint('h2load')).toBe('h2load is not installed: apt-get install -y nghttp2-client (or node scripts/test-prerequisites.js --with-bench-tools)');
    const err = new ToolMissing('haproxy');
    expect(err.tool).toBe('haproxy');
    expect(err.message).toContain('apt-get install -y haproxy');
  });

  it('finds a program on PATH and answers null for one that is nowhere', () => {
    expect(findTool('sh')).toMatch(/\/sh$/);
    expect(findTool('gatehouse-no-such-program')).toBeNull();
  });
});
