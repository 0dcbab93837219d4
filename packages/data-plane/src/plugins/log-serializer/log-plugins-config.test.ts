import { pluginCatalog, validatePlugin } from '../schemas';

/** What the CP answers for the log plugins' configs: Kong's defaults, and `config.<field>` errors. */
describe('log plugin configs', () => {
  it('fills in http-log with Kong 3.x defaults, the queue included', () => {
    const r = validatePlugin({ name: 'http-log', config: { http_endpoint: 'http://logs.example.com/in' } });
    expect(r.ok && r.config).toMatchObject({
      method: 'POST',
      content_type: 'application/json',
      timeout: 10000,
      keepalive: 60000,
      headers: null,
      custom_fields_by_lua: null,
      queue: {
        max_batch_size: 1,
        max_coalescing_delay: 1,
        max_entries: 10000,
        max_bytes: null,
        max_retry_time: 60,
        initial_retry_delay: 0.01,
        max_retry_delay: 60,
        concurrency_limit: 1,
      },
    });
  });

  it.each([
    [{}, 'config.http_endpoint', 'required field missing'],
    [{ http_endpoint: 'not a url' }, 'config.http_endpoint', 'missing host in url'],
    [{ http_endpoint: 'http://x', method: 'GET' }, 'config.method', 'expected one of: POST, PUT, PATCH'],
    [{ http_endpoint: 'http://x', headers: { Host: 'y' } }, 'config.headers.Host', "cannot contain 'Host' header"],
    [{ http_endpoint: 'http://x', queue: { max_batch_size: 0 } }, 'config.queue.max_batch_size', 'value should be between 1 and 1000000'],
    [{ http_endpoint: 'http://x', queue: { concurrency_limit: 2 } }, 'config.queue.concurrency_limit', 'expected one of: -1, 1'],
    [{ http_endpoint: 'http://x', custom_fields_by_lua: { a: 'return 1' } }, 'config.custom_fields_by_lua', 'not supported'],
    [{ http_endpoint: 'http://u:p@x', headers: { Authorization: 'y' } }, 'config', "specifying both an 'Authorization' header and user info"],
  ])('http-log %j → %s', (config, field, message) => {
    const r = validatePlugin({ name: 'http-log', config });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields[field]).toContain(message);
  });

  it('serves declarative files and the CLI through the plugin catalog (defaults filled, errors by path)', () => {
    expect(pluginCatalog.has('syslog')).toBe(true);
    expect(pluginCatalog.validateConfig?.('udp-log', { host: 'logs', port: 9999 })).toEqual({
      config: { host: 'logs', port: 9999, timeout: 10000, custom_fields_by_lua: null },
    });
    expect(pluginCatalog.validateConfig?.('file-log', { path: 'a`b' })).toEqual({ issues: [{ path: ['path'], message: 'not a valid filename' }] });
  });

  it('checks file-log, tcp-log, udp-log and syslog as Kong', () => {
    const bad = (name: string, config: object) => {
      const r = validatePlugin({ name, config });
      return r.ok ? {} : r.fields;
    };
    expect(bad('file-log', { path: '/tmp/a*b' })).toEqual({ 'config.path': 'not a valid filename' });
    expect(bad('file-log', {})).toEqual({ 'config.path': 'required field missing' });
    expect(bad('tcp-log', { host: 'h' })).toEqual({ 'config.port': 'required field missing' });
    expect(bad('udp-log', { host: 'h', port: 70000 })).toEqual({ 'config.port': 'value should be between 0 and 65535' });
    expect(bad('syslog', { facility: 'local9' })['config.facility']).toContain('expected one of: kern');
    expect(validatePlugin({ name: 'tcp-log', config: { host: 'h', port: 1 } })).toMatchObject({
      ok: true,
      config: { timeout: 10000, keepalive: 60000, tls: false, tls_sni: null },
    });
    expect(validatePlugin({ name: 'syslog', config: {} })).toMatchObject({
      ok: true,
      config: { log_level: 'info', successful_severity: 'info', client_errors_severity: 'info', server_errors_severity: 'info', facility: 'user' },
    });
  });
});
