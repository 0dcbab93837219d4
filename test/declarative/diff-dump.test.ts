import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import {
  readDeclarative,
  readDeclarativeText,
  stateToFile,
  diffStates,
  planChanges,
  selectByTags,
  stringifyDocument,
  stateKeyOf,
  STATE_KINDS,
  type DeclarativeState,
  type StateEntity,
} from '../../packages/protocol/src/declarative';

const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

function read(text: string): DeclarativeState {
  const r = readDeclarativeText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.fields));
  return r.state;
}

/** What the control plane does to secrets before comparing: keys become SHA-256, passwords a stored hash. */
function hashSecrets(state: DeclarativeState): DeclarativeState {
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  const keyauth = state.keyauth_credentials.map(({ fields: { key, ...f }, ...e }) => {
    const fields = { ...f, key_hash: f.key_hash ?? sha(key!) };
    return { ...e, key: stateKeyOf('keyauth_credentials', fields), fields };
  });
  const basic = state.basicauth_credentials.map(({ fields: { password, ...f }, ...e }) => ({
    ...e,
    fields: { ...f, password_hash: f.password_hash ?? `test$${sha(password!)}` },
  }));
  return { ...state, keyauth_credentials: keyauth, basicauth_credentials: basic };
}

/** Gives every entity an id, as stored entities have. */
function stored(state: DeclarativeState): DeclarativeState {
  let n = 0;
  const out = { ...state } as Record<string, StateEntity<unknown>[]>;
  for (const kind of STATE_KINDS) {
    out[kind] = (state[kind] as StateEntity<unknown>[]).map((e) => ({
      ...e,
      source: undefined,
      id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    }));
  }
  return out as unknown as DeclarativeState;
}

describe('diff and dump', () => {
  const desired = hashSecrets(read(fixture('kong-3.0.yml')));

  it('plans every entity as a create against an empty group', () => {
    const empty = read('_format_version: "3.0"\n');
    const diff = diffStates(empty, desired);
    const total = STATE_KINDS.reduce((n, k) => n + desired[k].length, 0);
    expect(diff.summary).toEqual({ creates: total, updates: 0, deletes: 0 });
    // Parents come before children, so an applier can go in order.
    const kinds = diff.entries.map((e) => e.kind);
    expect(kinds.indexOf('routes')).toBeGreaterThan(kinds.lastIndexOf('services'));
  });

  it('finds no change between a stored group and the file it was synced from', () => {
    expect(diffStates(stored(desired), desired).summary).toEqual({ creates: 0, updates: 0, deletes: 0 });
  });

  it('dumps a file that reads back to the same state, secrets only as hashes', () => {
    const doc = stateToFile(stored(desired));
    const yaml = stringifyDocument(doc, 'yaml');
    expect(yaml).not.toMatch(/alice-secret-key-1|bob-password-1/);
    expect(yaml).toContain(`key_hash: ${createHash('sha256').update('alice-secret-key-1').digest('hex')}`);
    const again = read(yaml);
    expect(diffStates(stored(desired), again).summary).toEqual({ creates: 0, updates: 0, deletes: 0 });
    // Single-scope plugins are nested, multi-scope ones stay at the top naming their targets.
    const services = doc.services as Record<string, unknown>[];
    expect((services.find((s) => s.name === 'catalog')!.plugins as unknown[]).length).toBe(2);
    expect(doc.plugins).toEqual([
      { name: 'prometheus', config: { per_consumer: true }, protocols: ['grpc', 'grpcs', 'http', 'https'], enabled: true },
      {
        name: 'rate-limiting',
        config: { second: 5, policy: 'local' },
        protocols: ['grpc', 'grpcs', 'http', 'https'],
        enabled: true,
        service: 'orders',
        consumer: 'alice',
      },
      { name: 'statsd', config: { host: 'statsd.internal', port: 8125, prefix: 'gateway' }, protocols: ['grpc', 'grpcs', 'http', 'https'], enabled: true },
    ]);
  });

  it('dumps JSON that reads back the same, with ids when asked', () => {
    const current = stored(desired);
    const json = stringifyDocument(stateToFile(current, { withIds: true }), 'json');
    const again = readDeclarative(JSON.parse(json));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.state.services.every((s) => s.id !== undefined)).toBe(true);
    expect(diffStates(current, again.state).summary).toEqual({ creates: 0, updates: 0, deletes: 0 });
  });

  it('reports field updates, creates and deletes, hiding secrets', () => {
    const current = stored(desired);
    const changed = read(
      fixture('kong-3.0.yml')
        .replace('retries: 3', 'retries: 7')
        .replace(/ {2}- name: static-assets\n {4}host: cdn.internal\n {4}routes:\n {6}- name: assets\n {8}paths: \[\/static, \/assets\]\n/, '')
        .replace('        password: bob-password-1', '        password: bob-password-2')
        .replace('  - custom_id: partner-42', '  - username: carol\n  - custom_id: partner-42'),
    );
    const diff = diffStates(current, hashSecrets(changed));
    expect(diff.summary).toEqual({ creates: 1, updates: 2, deletes: 2 });
    expect(diff.entries).toEqual(
      expect.arrayContaining([
        { action: 'update', kind: 'services', key: 'catalog', source: 'services[0]', changes: { retries: { from: 3, to: 7 } } },
        {
          action: 'update',
          kind: 'basicauth_credentials',
          key: 'bob',
          source: 'consumers[1].basicauth_credentials[0]',
          changes: { password_hash: { from: '(hidden)', to: '(hidden)' } },
        },
        { action: 'create', kind: 'consumers', key: 'carol', source: 'consumers[2]' },
        { action: 'delete', kind: 'routes', key: 'assets' },
        { action: 'delete', kind: 'services', key: 'static-assets' },
      ]),
    );
    // Deletes run children first.
    const deletes = diff.entries.filter((e) => e.action === 'delete').map((e) => e.kind);
    expect(deletes).toEqual(['routes', 'services']);
  });

  it('matches by id first, so a renamed entity is an update', () => {
    const current = stored(read('_format_version: "3.0"\nservices:\n  - { name: old, url: http://x.internal }\n'));
    const id = current.services[0]!.id!;
    const desiredRenamed = read(`_format_version: "3.0"\nservices:\n  - { id: ${id}, name: new, url: http://x.internal }\n`);
    const plan = planChanges(current, desiredRenamed);
    expect(plan.services.updates.map((u) => u.changed)).toEqual([['name']]);
    expect(plan.services.creates).toEqual([]);
  });

  it('moves a basic-auth credential to another consumer by replacing it', () => {
    const file = (owner: string): string =>
      `_format_version: "3.0"\n_transform: false\nconsumers: [{ username: a }, { username: b }]\nbasicauth_credentials:\n  - { consumer: ${owner}, username: shared, password: h }\n`;
    const plan = planChanges(stored(read(file('a'))), read(file('b')));
    expect(plan.basicauth_credentials.deletes).toHaveLength(1);
    expect(plan.basicauth_credentials.creates).toHaveLength(1);
  });

  it('limits a selective sync to entities with every select tag', () => {
    const current = stored(
      read(
        '_format_version: "3.0"\nservices:\n  - { name: mine, url: http://a.internal, tags: [team-a] }\n  - { name: theirs, url: http://b.internal, tags: [team-b] }\n',
      ),
    );
    const r = readDeclarativeText('_format_version: "3.0"\n_info: { select_tags: [team-a] }\nservices: []\n');
    if (!r.ok) throw new Error('valid');
    const diff = diffStates(selectByTags(current, r.info.selectTags), r.state);
    expect(diff.entries).toEqual([{ action: 'delete', kind: 'services', key: 'mine' }]);
  });
});
