import { parseStreamListen } from './listen-setting';

describe('GATEHOUSE_STREAM_LISTEN', () => {
  it("parses Kong's stream_listen: off, or host:port entries with flags", () => {
    expect(parseStreamListen('off')).toEqual([]);
    expect(parseStreamListen('127.0.0.1:7000, 0.0.0.0:7443 ssl reuseport backlog=128')).toEqual([
      { host: '127.0.0.1', port: 7000, ssl: false },
      { host: '0.0.0.0', port: 7443, ssl: true, backlog: 128 },
    ]);
    expect(parseStreamListen('[::1]:9000')).toEqual([{ host: '::1', port: 9000, ssl: false }]);
  });

  it('refuses what it cannot do, saying what', () => {
    expect(parseStreamListen('127.0.0.1:53 udp')).toMatch(/udp flag is not supported/);
    expect(parseStreamListen('127.0.0.1:7000 proxy_protocol')).toMatch(/proxy_protocol flag is not supported/);
    expect(parseStreamListen('127.0.0.1:7000 fast')).toMatch(/unknown flag 'fast'/);
    expect(parseStreamListen('nowhere')).toMatch(/host:port/);
  });
});
