import { checkPluginConfig } from '../schemas';
import { packDatagrams } from './sender';

describe('statsd config', () => {
  it("fills Kong's defaults, the default metrics among them", () => {
    const r = checkPluginConfig('statsd', {});
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config).toMatchObject({
      host: 'localhost',
      port: 8125,
      prefix: 'kong',
      udp_packet_size: 0,
      use_tcp: false,
      hostname_in_prefix: false,
      consumer_identifier_default: 'custom_id',
      service_identifier_default: 'service_name_or_host',
      workspace_identifier_default: 'workspace_id',
      tag_style: null,
      allow_status_codes: null,
    });
    const metrics = r.config.metrics as { name: string; stat_type: string; sample_rate: number | null }[];
    expect(metrics.map((m) => m.name)).toEqual([
      'request_count',
      'latency',
      'request_size',
      'status_count',
      'response_size',
      'unique_users',
      'request_per_user',
      'upstream_latency',
      'kong_latency',
      'status_count_per_user',
      'status_count_per_workspace',
      'status_count_per_user_per_route',
      'shdict_usage',
    ]);
    expect(metrics[0]).toEqual({
      name: 'request_count',
      stat_type: 'counter',
      sample_rate: 1,
      consumer_identifier: null,
      service_identifier: null,
      workspace_identifier: null,
    });
  });

  it('names the field of each problem, with Kong’s messages', () => {
    const issues = (config: unknown) => {
      const r = checkPluginConfig('statsd', config);
      return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ metrics: [{ name: 'request_count', stat_type: 'counter' }] })).toEqual(['metrics.0.sample_rate: required field missing']);
    expect(issues({ metrics: [{ name: 'nope', stat_type: 'timer' }] })[0]).toMatch(/^metrics\.0\.name: expected one of: kong_latency, latency/);
    expect(issues({ metrics: [{ stat_type: 'timer' }] })).toEqual(['metrics.0.name: required field missing']);
    expect(issues({ allow_status_codes: ['200-299', '5xx'] })).toEqual(['allow_status_codes.1: invalid value: 5xx']);
    expect(issues({ udp_packet_size: 70000 })).toEqual(['udp_packet_size: value should be between 0 and 65507']);
    expect(issues({ tag_style: 'graphite' })).toEqual(['tag_style: expected one of: dogstatsd, influxdb, librato, signalfx']);
    expect(issues({ bogus: 1 })).toEqual(['bogus: unknown field']);
  });
});

describe('statsd datagrams', () => {
  it('one line per datagram without udp_packet_size; joined by newlines up to it', () => {
    expect(packDatagrams(['a:1|c', 'b:1|c'], 0)).toEqual(['a:1|c', 'b:1|c']);
    expect(packDatagrams(['a:1|c', 'b:1|c', 'c:1|c'], 11)).toEqual(['a:1|c\nb:1|c', 'c:1|c']);
    expect(packDatagrams(['a-long-line:1|c', 'b:1|c'], 5)).toEqual(['a-long-line:1|c', 'b:1|c']);
  });
});
