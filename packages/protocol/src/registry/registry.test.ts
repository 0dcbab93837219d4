import type { z } from 'zod';
import { gatewayConfig, emptyConfig } from '../config';
import { KINDS } from '../declarative/kinds';
import { emptyState } from '../declarative/state';
import { ENTITY_NAMES, GATEWAY_ENTITIES, entitySpec, referencesTo } from './index';

/**
 * The registry is the one description of each gateway entity; these checks
 * fail when an entry is incomplete or when a view derived from it (snapshot,
 * declarative kinds, state) disagrees with it. The control plane's
 * `crud/registry.test.ts` checks the entries against the database schema.
 */

const keysOf = (schema: z.ZodObject): string[] => Object.keys(schema.shape);

describe.each(GATEWAY_ENTITIES.map((e) => [e.name, e] as const))('registry entry %s', (name, spec) => {
  it('is found by its name, and its names are its own', () => {
    expect(entitySpec(name)).toBe(spec);
    expect(GATEWAY_ENTITIES.filter((e) => e.path === spec.path)).toHaveLength(1);
    expect(spec.noun.length).toBeGreaterThan(0);
    expect(spec.model).toMatch(/^[a-z][A-Za-z]*$/);
  });

  it('refers only to entities listed before it, through fields its answer and snapshot carry', () => {
    const position = ENTITY_NAMES.indexOf(name);
    for (const ref of spec.references) {
      expect(ENTITY_NAMES.indexOf(ref.entity as never)).toBeGreaterThanOrEqual(0);
      expect(ENTITY_NAMES.indexOf(ref.entity as never)).toBeLessThan(position);
      expect(keysOf(spec.output)).toContain(ref.field);
      expect(keysOf(spec.snapshot)).toContain(ref.field);
      // Only the nested path can set a reference the body lacks.
      if (!ref.inBody) expect(ref.nested).toBe(true);
    }
  });

  it('is reachable in the API: top level, or nested under something', () => {
    expect(spec.topLevel || spec.references.some((r) => r.nested)).toBe(true);
  });

  it('names only fields it has', () => {
    const answer = keysOf(spec.output);
    expect(keysOf(spec.snapshot)).toContain('id');
    expect(answer).toContain('id');
    if (spec.endpointKey !== null) expect(answer).toContain(spec.endpointKey);
    for (const f of [...spec.lookupNames, ...spec.deepMerge, ...spec.revealOnCreate, ...spec.replaceWhenChanged]) expect(answer).toContain(f);
  });

  it('refers by id lists only to entities listed before it, through a field its answer and snapshot carry', () => {
    const position = ENTITY_NAMES.indexOf(name);
    for (const list of spec.idLists) {
      expect(ENTITY_NAMES.indexOf(list.entity as never)).toBeGreaterThanOrEqual(0);
      expect(ENTITY_NAMES.indexOf(list.entity as never)).toBeLessThan(position);
      expect(keysOf(spec.output)).toContain(list.field);
      expect(keysOf(spec.snapshot)).toContain(list.field);
    }
  });

  it('seals only secrets the data planes get, and computes only answer fields', () => {
    for (const f of spec.sealedFields) {
      expect(spec.secretFields).toContain(f);
      expect(keysOf(spec.snapshot)).toContain(f);
    }
    for (const f of spec.computed) {
      expect(keysOf(spec.output)).toContain(f);
      expect(keysOf(spec.snapshot)).not.toContain(f);
    }
  });

  it('never answers a secret, except the one shown at creation', () => {
    for (const f of spec.secretFields)
      if (!spec.revealOnCreate.includes(f)) expect({ secret: f, answered: keysOf(spec.output).includes(f) }).toEqual({ secret: f, answered: false });
  });

  it('lists as Kong-only no field it has (remove it from kongOnly when it lands)', () => {
    for (const f of spec.kongOnly) expect({ kongOnly: f, has: keysOf(spec.output).includes(f) }).toEqual({ kongOnly: f, has: false });
  });

  it('is a list of its snapshot shape in the snapshot, a kind of the file format and a list of the state', () => {
    expect(gatewayConfig.shape[name].unwrap().element).toBe(spec.snapshot);
    expect(KINDS[name].schema).toBe(spec.declarative);
    expect(Object.keys(KINDS[name].refs)).toEqual(spec.references.map((r) => r.field));
    expect(emptyState()[name]).toEqual([]);
    expect(emptyConfig()[name]).toEqual([]);
  });
});

describe('the registry as a whole', () => {
  it('reads a config that lacks a list as one with that list empty (a cache written before the entity existed)', () => {
    const { upstreams: _u, targets: _t, ...older } = emptyConfig();
    expect(gatewayConfig.parse(older)).toEqual(emptyConfig());
  });

  it('is every list of the snapshot, and every kind of the file format', () => {
    expect(Object.keys(gatewayConfig.shape).sort()).toEqual(['_format_version', '_secrets', ...ENTITY_NAMES].sort());
    expect(Object.keys(KINDS).sort()).toEqual([...ENTITY_NAMES].sort());
    expect(Object.keys(emptyState()).sort()).toEqual([...ENTITY_NAMES].sort());
  });

  it('nests in a file exactly what the API nests', () => {
    for (const parent of GATEWAY_ENTITIES) {
      const nestedInApi = referencesTo(parent.name)
        .filter((r) => r.reference.nested)
        .map((r) => r.from.name);
      expect({ parent: parent.name, nested: Object.keys(KINDS[parent.name].nested) }).toEqual({ parent: parent.name, nested: nestedInApi });
    }
  });

  it('answers an error for a name it lacks', () => {
    expect(() => entitySpec('vaults')).toThrow(/no gateway entity named 'vaults'/);
  });
});
