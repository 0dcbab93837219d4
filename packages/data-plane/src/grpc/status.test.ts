import { encodeGrpcMessage, formatGrpcTimeout, grpcStatusName, grpcStatusOf, isGrpcRequest, parseGrpcTimeout } from './status';

describe("gRPC statuses (Kong's kong.response mapping)", () => {
  it("maps Kong's table of HTTP statuses", () => {
    const table: [number, number][] = [
      [200, 0],
      [400, 3],
      [401, 16],
      [403, 7],
      [404, 5],
      [409, 6],
      [429, 8],
      [499, 1],
      [500, 13],
      [501, 12],
      [503, 14],
      [504, 4],
    ];
    for (const [http, grpc] of table) expect([http, grpcStatusOf(http)]).toEqual([http, grpc]);
  });

  it('maps the rest by class: 5xx INTERNAL (502 included), 4xx INVALID_ARGUMENT, 2xx OK, else UNKNOWN', () => {
    expect(grpcStatusOf(502)).toBe(13);
    expect(grpcStatusOf(505)).toBe(13);
    expect(grpcStatusOf(426)).toBe(3);
    expect(grpcStatusOf(415)).toBe(3);
    expect(grpcStatusOf(204)).toBe(0);
    expect(grpcStatusOf(301)).toBe(2);
  });

  it("names statuses as Kong's grpc-message does", () => {
    expect(grpcStatusName(16)).toBe('Unauthenticated');
    expect(grpcStatusName(8)).toBe('ResourceExhausted');
    expect(grpcStatusName(1)).toBe('Canceled');
    expect(grpcStatusName(99)).toBe('Unknown');
  });

  it('tells a gRPC request: application/grpc (and +proto) over HTTP/2 only', () => {
    expect(isGrpcRequest('application/grpc', 2)).toBe(true);
    expect(isGrpcRequest('application/grpc+proto', 2)).toBe(true);
    expect(isGrpcRequest('application/grpc', 1)).toBe(false);
    expect(isGrpcRequest('application/json', 2)).toBe(false);
    expect(isGrpcRequest(undefined, 2)).toBe(false);
  });

  it('percent-encodes grpc-message outside printable ASCII, and %', () => {
    expect(encodeGrpcMessage('plain text')).toBe('plain text');
    expect(encodeGrpcMessage('100% ü')).toBe('100%25 %C3%BC');
    expect(decodeURIComponent(encodeGrpcMessage('line\nbreak é'))).toBe('line\nbreak é');
  });

  it('parses grpc-timeout in every unit, and refuses malformed values', () => {
    expect(parseGrpcTimeout('2H')).toBe(7_200_000);
    expect(parseGrpcTimeout('3M')).toBe(180_000);
    expect(parseGrpcTimeout('5S')).toBe(5000);
    expect(parseGrpcTimeout('250m')).toBe(250);
    expect(parseGrpcTimeout('1500u')).toBe(1.5);
    expect(parseGrpcTimeout('2000000n')).toBe(2);
    expect(parseGrpcTimeout('123456789S')).toBeNull();
    expect(parseGrpcTimeout('10s')).toBeNull();
    expect(parseGrpcTimeout('')).toBeNull();
    expect(parseGrpcTimeout(undefined)).toBeNull();
  });

  it('writes the time left as grpc-timeout within 8 digits, rounded up', () => {
    expect(formatGrpcTimeout(250)).toBe('250m');
    expect(formatGrpcTimeout(0.2)).toBe('1m');
    expect(formatGrpcTimeout(-5)).toBe('1m');
    expect(formatGrpcTimeout(99_999_999)).toBe('99999999m');
    expect(formatGrpcTimeout(100_000_000)).toBe('100000S');
    expect(formatGrpcTimeout(parseGrpcTimeout('99999999H') ?? 0)).toBe('99999999H');
  });
});
