import fc from 'fast-check';

/** A request body as sent on the wire: raw text and the Content-Type it goes with (none: no body). */
export interface RawBody {
  text?: string;
  contentType?: string;
  /** What the generator meant to send, for failure messages. */
  kind: string;
}

// Field names the API's entities use, so random bodies reach the validators rather than bounce on "unknown field".
const FIELD_NAMES = [
  'name',
  'host',
  'port',
  'url',
  'path',
  'protocol',
  'paths',
  'methods',
  'hosts',
  'headers',
  'protocols',
  'sources',
  'destinations',
  'service',
  'route',
  'consumer',
  'tags',
  'config',
  'enabled',
  'username',
  'custom_id',
  'key',
  'password',
  'group',
  'runtime_group_id',
  'retries',
  'connect_timeout',
  'read_timeout',
  'write_timeout',
  'strip_path',
  'preserve_host',
  'regex_priority',
  'https_redirect_status_code',
  'id',
  'labels',
  'display_name',
  'description',
  'expires_in_days',
  'kind',
  'validity_days',
  'email',
  'instance_name',
  'algorithm',
  'hash_on',
  'hash_fallback',
  'hash_on_header',
  'slots',
  'healthchecks',
  'host_header',
  'target',
  'weight',
  'upstreams',
  'cert',
  'key',
  'cert_alt',
  'key_alt',
  'snis',
  'cert_digest',
  'certificate',
  'client_certificate',
  'ca_certificates',
  'tls_verify',
  'tls_verify_depth',
  'certificates',
  '_format_version',
  'services',
  'routes',
  'plugins',
  'consumers',
  'created_at',
  '__proto__',
  'constructor',
];

const UUID_LIKE = ['00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0000000-0000-4000-8000-0000000000000'];

/** Values of the wrong type, out of range, or of awkward text. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e\u0041',
    '😀'.repeat(50),
    '../../etc/passwd',
    "'; DROP TABLE services; --",
    '%00',
    '~/(((',
    '~/[',
    '*.',
    '.',
    '',
    ' ',
    'GET, POST',
    'http://',
    'http://[::1',
    'https://example.com:99999/x',
    ...UUID_LIKE,
    { id: 'x' },
    { name: 'target' },
    { id: UUID_LIKE[0] },
    { name: 42 },
    [null],
    [[]],
    [{}],
    -1,
    0,
    65536,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 1,
    1.5,
    true,
    false,
    null,
  ),
  fc.nat({ max: 3 }).map((n) => 'x'.repeat([256, 4096, 65_536, 900_000][n]!)),
);

/** A JSON object built from the API's field names with odd values. */
const fieldObject = fc.dictionary(fc.constantFrom(...FIELD_NAMES), oddValue, { maxKeys: 8 });

function deepNesting(depth: number, open: string, close: string, leaf = '1'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

/** Every kind of body the fuzzer sends. */
export const rawBody: fc.Arbitrary<RawBody> = fc.oneof(
  { weight: 6, arbitrary: fieldObject.map((o) => ({ text: JSON.stringify(o), contentType: 'application/json', kind: 'fields' })) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v), contentType: 'application/json', kind: 'json' })) },
  {
    weight: 1,
    arbitrary: fc.nat({ max: 3 }).map((n) => {
      const depth = [100, 2_000, 20_000, 200_000][n]!;
      return { text: n % 2 === 0 ? deepNesting(depth, '[', ']') : deepNesting(depth, '{"a":', '}'), contentType: 'application/json', kind: `nested ${depth}` };
    }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...FIELD_NAMES), oddValue, oddValue).map(([k, a, b]) => ({
      text: `{${JSON.stringify(k)}:${JSON.stringify(a) ?? 'null'},${JSON.stringify(k)}:${JSON.stringify(b) ?? 'null'}}`,
      contentType: 'application/json',
      kind: 'duplicate keys',
    })),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((t) => ({ text: t, contentType: 'application/json', kind: 'garbage' })) },
  {
    weight: 1,
    arbitrary: fc.constant({ text: JSON.stringify({ name: 'big', tags: ['x'.repeat(1_100_000)] }), contentType: 'application/json', kind: 'oversize' }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RawBody>(
      { text: 'name=x&host=y', contentType: 'application/x-www-form-urlencoded', kind: 'form' },
      { text: '{"name":"x"}', contentType: 'text/plain', kind: 'text/plain' },
      { text: '{"name":"x"}', contentType: 'application/json; charset=utf-16', kind: 'utf-16 charset' },
      { text: '{"name":"x"}', contentType: 'application/json; charset=latin1', kind: 'latin1 charset' },
      { text: 'a: [b\n  - : :', contentType: 'application/yaml', kind: 'bad yaml' },
      { text: '_format_version: "3.0"\nservices: 7\n', contentType: 'application/yaml', kind: 'yaml wrong type' },
      { text: '&a [*a, *a, *a]', contentType: 'application/yaml', kind: 'yaml alias' },
      {
        text: `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(',')}]`,
        ).join('\n')}\n`,
        contentType: 'application/yaml',
        kind: 'yaml alias bomb',
      },
      { text: `services: ${'['.repeat(50_000)}${']'.repeat(50_000)}`, contentType: 'application/yaml', kind: 'yaml nested 50000' },
      {
        text: `services:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 2 + 2)}- a:`).join('\n')}\n`,
        contentType: 'application/yaml',
        kind: 'yaml nested blocks',
      },
      { text: '', contentType: 'application/json', kind: 'empty json' },
      { kind: 'no body' },
    ),
  },
);

/** A query string of paging, window and filter parameters with odd values (may be empty). */
export const rawQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('size', 'offset', 'since', 'until', 'granularity', 'service', 'route', 'dry_run', 'tags', 'size[]', 'offset[a]', 'x'),
      fc.oneof(
        fc.constantFrom(
          '0',
          '-1',
          '1001',
          '1e3',
          '1.5',
          'abc',
          '',
          '100',
          '1',
          'minute',
          'hour',
          'day',
          'true',
          'false',
          '2026-01-01T00:00:00Z',
          '-8640000000000001',
          'NaN',
          'Infinity',
          'MHwwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA',
          '%ZZ',
          '%00',
        ),
        fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));
