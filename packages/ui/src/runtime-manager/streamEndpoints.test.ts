import { endpointText, streamMatchText } from './streamEndpoints';

describe('stream route endpoints as the routes table shows them', () => {
  it('writes an IP or CIDR, a port, or both (IPv6 in brackets before a port)', () => {
    expect(endpointText({ ip: '10.0.0.0/8', port: 5432 })).toBe('10.0.0.0/8:5432');
    expect(endpointText({ ip: '10.0.0.1', port: null })).toBe('10.0.0.1');
    expect(endpointText({ ip: null, port: 9000 })).toBe('*:9000');
    expect(endpointText({ ip: 'fd00::/8', port: 53 })).toBe('[fd00::/8]:53');
  });

  it('joins sources and destinations, or says nothing when both are empty', () => {
    expect(
      streamMatchText(
        [{ ip: '10.0.0.0/8', port: null }],
        [
          { ip: null, port: 5432 },
          { ip: '127.0.0.1', port: 6379 },
        ],
      ),
    ).toBe('from 10.0.0.0/8 to *:5432, 127.0.0.1:6379');
    expect(streamMatchText([], [{ ip: null, port: 1 }])).toBe('to *:1');
    expect(streamMatchText([], [])).toBeNull();
  });
});
