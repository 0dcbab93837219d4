import { readDeclarative, readDeclarativeText } from './read';
import { stateToFile } from './to-file';
import { diffStates } from './diff';
import type { DeclarativeState } from './state';

/** `upstreams:` with nested `targets:` in Kong's file formats: read, checked, dumped and read back unchanged. */

function file(version: string): string {
  return `_format_version: "${version}"
services:
  - name: orders
    host: orders.upstream
    routes:
      - name: orders
        paths: [/orders]
upstreams:
  - name: orders.upstream
    algorithm: consistent-hashing
    hash_on: header
    hash_on_header: x-user
    hash_fallback: ip
    healthchecks:
      passive:
        unhealthy:
          http_failures: 3
    targets:
      - target: 10.0.0.1
      - target: 10.0.0.2:8080
        weight: 50
      - target: "[::1]:81"
        weight: 0
  - name: spare.upstream
targets:
  - upstream: spare.upstream
    target: spare.internal:9000
`;
}

function read(text: string): DeclarativeState {
  const r = readDeclarativeText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.fields));
  return r.state;
}

describe('declarative upstreams and targets', () => {
  it.each(['1.1', '2.1', '3.0'])("reads a %s file: Kong's defaults, shorthands and the default target port", (version) => {
    const state = read(file(version));
    expect(state.upstreams.map((u) => u.key)).toEqual(['orders.upstream', 'spare.upstream']);
    expect(state.upstreams[0]?.fields).toMatchObject({ algorithm: 'consistent-hashing', hash_fallback: 'ip', slots: 10000 });
    expect(state.upstreams[0]?.fields.healthchecks.passive.unhealthy).toEqual({
      http_statuses: [429, 500, 503],
      tcp_failures: 0,
      timeouts: 0,
      http_failures: 3,
    });
    expect(state.targets.map((t) => [t.fields.upstream, t.fields.target, t.fields.weight])).toEqual([
      ['orders.upstream', '10.0.0.1:8000', 100],
      ['orders.upstream', '10.0.0.2:8080', 50],
      ['orders.upstream', '[::1]:81', 0],
      ['spare.upstream', 'spare.internal:9000', 100],
    ]);
  });

  it('dumps targets nested in their upstream, and the dump reads back with no difference', () => {
    const state = read(file('3.0'));
    const dumped = stateToFile(state);
    const upstreams = dumped.upstreams as { name: string; targets?: { target: string }[] }[];
    expect(upstreams.map((u) => [u.name, (u.targets ?? []).map((t) => t.target)])).toEqual([
      ['orders.upstream', ['10.0.0.1:8000', '10.0.0.2:8080', '[::1]:81']],
      ['spare.upstream', ['spare.internal:9000']],
    ]);
    expect(dumped.targets).toBeUndefined();
    const again = readDeclarative(dumped);
    if (!again.ok) throw new Error(JSON.stringify(again.fields));
    expect(diffStates(state, again.state).summary).toMatchObject({ creates: 0, updates: 0, deletes: 0 });
  });

  it('names the field of a bad upstream or target, a duplicate target and a target of a missing upstream', () => {
    const bad = (text: string): Record<string, string> => {
      const r = readDeclarativeText(text);
      if (r.ok) throw new Error('expected the file to be refused');
      return r.fields;
    };
    expect(bad('_format_version: "3.0"\nupstreams:\n  - name: 10.0.0.1\n')).toMatchObject({
      'upstreams[0].name': "Invalid name ('10.0.0.1'); no ip addresses allowed",
    });
    expect(bad('_format_version: "3.0"\nupstreams:\n  - name: u.internal\n    targets:\n      - target: "bad host"\n')).toMatchObject({
      'upstreams[0].targets[0].target': "Invalid target ('bad host'); not a valid hostname or ip address",
    });
    expect(bad('_format_version: "3.0"\nupstreams:\n  - name: u.internal\n    targets:\n      - { target: 10.0.0.1, weight: 70000 }\n')).toHaveProperty([
      'upstreams[0].targets[0].weight',
    ]);
    const dup = bad('_format_version: "3.0"\nupstreams:\n  - name: u.internal\n    targets:\n      - target: 10.0.0.1\n      - target: 10.0.0.1:8000\n');
    expect(Object.keys(dup).join(' ')).toMatch(/targets\[1\]/);
    expect(Object.keys(bad('_format_version: "3.0"\ntargets:\n  - { upstream: nowhere.internal, target: 10.0.0.1 }\n')).join(' ')).toMatch(
      /targets\[0\]\.upstream/,
    );
  });
});
