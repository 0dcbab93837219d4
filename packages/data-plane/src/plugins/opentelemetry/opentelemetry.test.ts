import { checkPluginConfig } from '../schemas';
import { parseTraceparent } from './trace-context';

const issues = (config: unknown) => {
  const r = checkPluginConfig('opentelemetry', config);
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('opentelemetry config', () => {
  it("fills Kong's defaults", () => {
    const r = checkPluginConfig('opentelemetry', { traces_endpoint: 'http://otel:4318/v1/traces' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config).toMatchObject({
      connect_timeout: 1000,
      send_timeout: 5000,
      read_timeout: 5000,
      header_type: 'preserve',
      sampling_rate: null,
      propagation: { default_format: 'w3c', extract: null, inject: null, clear: null },
      queue: { max_batch_size: 200, max_coalescing_delay: 1 },
    });
  });

  it('names the field of each problem', () => {
    expect(issues({})).toEqual([": at least one of these fields must be non-empty: 'config.traces_endpoint', 'config.logs_endpoint'"]);
    expect(issues({ traces_endpoint: 'nope' })).toEqual(['traces_endpoint: missing host in url']);
    expect(issues({ traces_endpoint: 'http://o/v1/traces', sampling_rate: 2 })).toEqual(['sampling_rate: value should be between 0 and 1']);
    expect(issues({ traces_endpoint: 'http://o/v1/traces', propagation: { default_format: 'w3c', extract: ['b3'] } })).toEqual([
      "propagation.extract.0: format 'b3' is not supported by Gatehouse yet (w3c only)",
    ]);
    expect(issues({ traces_endpoint: 'http://o/v1/traces', header_type: 'jaeger' })).toEqual([
      "header_type: format 'jaeger' is not supported by Gatehouse yet (w3c only)",
    ]);
  });
});

describe('traceparent', () => {
  it('parses valid headers and refuses invalid ones', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
    expect(parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeNull();
    expect(parseTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeNull();
    expect(parseTraceparent('garbage')).toBeNull();
  });
});
