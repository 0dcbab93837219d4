import { DEFAULT_HEADER_PROFILE, headerProfile, headersProblem, headersUpstreamProblem } from './header-profile';

describe("GATEHOUSE_HEADERS / GATEHOUSE_HEADERS_UPSTREAM (Kong's headers / headers_upstream)", () => {
  it("defaults to Kong's default set under Gatehouse's names", () => {
    expect(DEFAULT_HEADER_PROFILE).toEqual({
      server: true,
      via: true,
      proxyLatency: 'x-gatehouse-proxy-latency',
      upstreamLatency: 'x-gatehouse-upstream-latency',
      responseLatency: 'x-gatehouse-response-latency',
      upstreamStatus: null,
      requestId: 'x-gatehouse-request-id',
      upstreamRequestId: 'x-gatehouse-request-id',
    });
  });

  it("reads kong.conf's default value as Kong does: Kong's names", () => {
    expect(headerProfile('server_tokens, latency_tokens, X-Kong-Request-Id', 'X-Kong-Request-Id')).toEqual({
      server: true,
      via: true,
      proxyLatency: 'x-kong-proxy-latency',
      upstreamLatency: 'x-kong-upstream-latency',
      responseLatency: 'x-kong-response-latency',
      upstreamStatus: null,
      requestId: 'x-kong-request-id',
      upstreamRequestId: 'x-kong-request-id',
    });
  });

  it('takes single headers, in any case, and X-Kong-Upstream-Status', () => {
    const p = headerProfile('via, X-KONG-UPSTREAM-STATUS, x-gatehouse-proxy-latency');
    expect(p).toMatchObject({ server: false, via: true, upstreamStatus: 'x-kong-upstream-status', proxyLatency: 'x-gatehouse-proxy-latency', requestId: null });
  });

  it('sends nothing for off (first), an empty value, or only X-Kong-Admin-Latency; a later off is ignored, as Kong', () => {
    const none = { server: false, via: false, proxyLatency: null, upstreamLatency: null, responseLatency: null, upstreamStatus: null, requestId: null };
    expect(headerProfile('off', 'off')).toEqual({ ...none, upstreamRequestId: null });
    expect(headerProfile('off, Via')).toMatchObject(none);
    expect(headerProfile('')).toMatchObject(none);
    expect(headerProfile('X-Kong-Admin-Latency')).toMatchObject(none);
    expect(headerProfile('Server, off')).toMatchObject({ ...none, server: true });
  });

  it("refuses an unknown entry with Kong's words, and two names for one header", () => {
    expect(headersProblem('server_tokens, X-Foo')).toBe("invalid entry 'X-Foo'");
    expect(headersProblem('latency_tokens, gatehouse_latency_tokens')).toMatch(/name the same header/);
    expect(headersProblem('X-Kong-Request-Id, X-Gatehouse-Request-Id')).toMatch(/name the same header/);
    expect(headersProblem('latency_tokens, X-Kong-Proxy-Latency')).toBeNull();
    expect(headersUpstreamProblem('X-Kong-Proxy-Latency')).toBe("invalid entry 'X-Kong-Proxy-Latency'");
    expect(headersUpstreamProblem('X-Kong-Request-Id, X-Gatehouse-Request-Id')).toBe('give one request id header');
    expect(headersUpstreamProblem('off')).toBeNull();
  });
});
