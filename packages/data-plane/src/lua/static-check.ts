import * as luaparse from 'luaparse';
import { isKnownNgxVar, type SurfaceNode } from './surface';
import { thrownMessage } from '@gatehouse/protocol';

/**
 * The check the CP, the CLI and the DP run on every Lua text before it is
 * accepted (a pure-JS parse, so it runs wherever the plugin schemas do):
 *
 * 1. The text must parse as Lua 5.3 (luaparse; Lua 5.4, which the DP runs,
 *    accepts every such program). Lua 5.4-only syntax (`<const>`, `<close>`)
 *    and LuaJIT's literals (`1LL`) are refused.
 * 2. Every global it reads must be one of the surface's, or one the code
 *    itself assigns. A chain of fields from a surface global
 *    (`kong.request.get_header`, `string.rep`, also through a local alias such
 *    as `local req = kong.request`) must name a member the surface has.
 *    Tables of the surface (`kong`, `string`, …) cannot be assigned to or
 *    indexed by computed keys; their dynamic tables (`ngx.var`, `ngx.header`,
 *    `kong.ctx.shared`, …) can. `ngx.var.<name>` must be a variable the DP
 *    answers. What flows through ordinary values (method calls on strings,
 *    tables passed around) is not followed: the VM's sandbox guards it.
 *
 * Answers null when the text passes, else one line saying what is wrong
 * (with the line number).
 */
export function checkLua(source: string, surface: Readonly<Record<string, SurfaceNode>>): string | null {
  let chunk: luaparse.Chunk;
  try {
    // luaparse reads bytes as pseudo-Latin-1 code points: give it the UTF-8 bytes.
    chunk = luaparse.parse(toByteString(source), { luaVersion: '5.3', encodingMode: 'pseudo-latin1', locations: true, scope: false, comments: false });
  } catch (err) {
    return `does not compile: ${thrownMessage(err)}`;
  }
  const checker = new Checker(surface, assignedGlobals(chunk));
  try {
    checker.block(chunk.body);
  } catch (err) {
    if (err instanceof SurfaceError) return err.message;
    throw err;
  }
  return null;
}

class SurfaceError extends Error {}

/** The UTF-8 bytes of `s`, one code point per byte (no Buffer: the schemas may run in a browser). */
function toByteString(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

/** A name in scope: a local whose value is a surface path (`kong.request`), or null for any other value. */
type Scope = Map<string, string | null>;

/** Names the code assigns as globals anywhere (its own globals may be read anywhere). */
function assignedGlobals(chunk: luaparse.Chunk): Set<string> {
  const out = new Set<string>();
  visitAll(chunk, (n) => {
    if (n.type === 'AssignmentStatement') for (const v of n.variables) if (v.type === 'Identifier') out.add(v.name);
    if (n.type === 'FunctionDeclaration' && !n.isLocal && n.identifier?.type === 'Identifier') out.add(n.identifier.name);
  });
  return out;
}

function visitAll(node: unknown, fn: (n: luaparse.Node) => void): void {
  if (Array.isArray(node)) {
    for (const c of node) visitAll(c, fn);
    return;
  }
  if (typeof node !== 'object' || node === null || !('type' in node)) return;
  fn(node as luaparse.Node);
  for (const [k, v] of Object.entries(node)) if (k !== 'loc' && typeof v === 'object') visitAll(v, fn);
}

const lineOf = (n: luaparse.Node): string => (n.loc ? ` (line ${n.loc.start.line})` : '');

function stringKey(n: luaparse.Expression): string | null {
  if (n.type !== 'StringLiteral') return null;
  const raw: unknown = n.value;
  return typeof raw === 'string' ? new TextDecoder().decode(Uint8Array.from(raw, (c) => c.charCodeAt(0))) : null;
}

/** Lua's own compile limits the parse does not check: active locals per function (MAXVARS), and nesting (C levels, kept well below Lua's 200). */
const MAX_LOCALS = 200;
const MAX_NESTING = 150;

class Checker {
  private readonly scopes: Scope[] = [new Map<string, string | null>()];
  /** Locals declared in each open block (a name declared twice counts twice, as in Lua). */
  private readonly counts: number[] = [0];
  /** Index of the first block of each open function. */
  private readonly functions: number[] = [0];
  private depth = 0;

  constructor(
    private readonly surface: Readonly<Record<string, SurfaceNode>>,
    private readonly ownGlobals: ReadonlySet<string>,
  ) {}

  block(body: luaparse.Statement[]): void {
    this.push(new Map());
    for (const s of body) this.statement(s);
    this.pop();
  }

  private push(scope: Scope): void {
    this.scopes.push(new Map());
    this.counts.push(0);
    for (const [name, path] of scope) this.declare(name, path);
  }

  private pop(): void {
    this.scopes.pop();
    this.counts.pop();
  }

  private declare(name: string, path: string | null, at?: luaparse.Node): void {
    this.scopes[this.scopes.length - 1]?.set(name, path);
    this.counts[this.counts.length - 1] = (this.counts[this.counts.length - 1] ?? 0) + 1;
    let active = 0;
    for (let i = this.functions[this.functions.length - 1] ?? 0; i < this.counts.length; i++) active += this.counts[i] ?? 0;
    if (active > MAX_LOCALS) throw new SurfaceError(`does not compile: too many local variables (limit is ${MAX_LOCALS})${at ? lineOf(at) : ''}`);
  }

  private nest(at: luaparse.Node): void {
    if (++this.depth > MAX_NESTING) throw new SurfaceError(`does not compile: the code is nested too deeply (limit ${MAX_NESTING})${lineOf(at)}`);
  }

  private lookupLocal(name: string): { found: boolean; path: string | null } {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      if (s?.has(name)) return { found: true, path: s.get(name) ?? null };
    }
    return { found: false, path: null };
  }

  private node(path: string): SurfaceNode | undefined {
    const parts = path.split('.');
    let n: SurfaceNode | undefined = this.surface[parts[0] ?? ''];
    for (const p of parts.slice(1)) {
      if (n === undefined || typeof n === 'string') return undefined;
      n = n[p];
    }
    return n;
  }

  private statement(s: luaparse.Statement): void {
    this.nest(s);
    try {
      this.statementBody(s);
    } finally {
      this.depth--;
    }
  }

  private statementBody(s: luaparse.Statement): void {
    switch (s.type) {
      case 'LocalStatement': {
        const paths = s.init.map((e) => this.expression(e));
        s.variables.forEach((v, i) => this.declare(v.name, paths[i] ?? null, v));
        return;
      }
      case 'AssignmentStatement':
        for (const e of s.init) this.expression(e);
        for (const v of s.variables) this.assignTarget(v);
        return;
      case 'CallStatement':
        this.expression(s.expression);
        return;
      case 'FunctionDeclaration':
        if (s.identifier !== null) {
          if (s.isLocal && s.identifier.type === 'Identifier') this.declare(s.identifier.name, null);
          else this.assignTarget(s.identifier);
        }
        this.functionBody(s);
        return;
      case 'IfStatement':
        for (const c of s.clauses) {
          if (c.type !== 'ElseClause') this.expression(c.condition);
          this.block(c.body);
        }
        return;
      case 'WhileStatement':
        this.expression(s.condition);
        this.block(s.body);
        return;
      case 'RepeatStatement':
        // The condition sees the body's locals.
        this.push(new Map());
        for (const b of s.body) this.statement(b);
        this.expression(s.condition);
        this.pop();
        return;
      case 'DoStatement':
        this.block(s.body);
        return;
      case 'ForNumericStatement':
        this.expression(s.start);
        this.expression(s.end);
        if (s.step) this.expression(s.step);
        // Lua keeps three hidden locals for the loop besides its variable.
        this.push(
          new Map([
            [s.variable.name, null],
            ['(for state)', null],
            ['(for limit)', null],
            ['(for step)', null],
          ]),
        );
        this.block(s.body);
        this.pop();
        return;
      case 'ForGenericStatement':
        for (const e of s.iterators) this.expression(e);
        this.push(
          new Map([
            ...s.variables.map((v): [string, null] => [v.name, null]),
            ['(for state)', null],
            ['(for generator)', null],
            ['(for control)', null],
            ['(for closing)', null],
          ]),
        );
        this.block(s.body);
        this.pop();
        return;
      case 'ReturnStatement':
        for (const e of s.arguments) this.expression(e);
        return;
      default:
        return; // break, goto, labels
    }
  }

  private functionBody(f: luaparse.FunctionDeclaration): void {
    this.functions.push(this.counts.length);
    this.push(new Map(f.parameters.filter((p) => p.type === 'Identifier').map((p): [string, null] => [p.name, null])));
    this.block(f.body);
    this.pop();
    this.functions.pop();
  }

  private assignTarget(v: luaparse.Identifier | luaparse.MemberExpression | luaparse.IndexExpression): void {
    if (v.type === 'Identifier') return; // a local, or one of the function's own globals
    const base = this.expression(v.base);
    if (v.type === 'IndexExpression') this.expression(v.index);
    if (base === null) return;
    const node = this.node(base);
    const key = v.type === 'MemberExpression' ? v.identifier.name : stringKey(v.index);
    if (node === 'dyn') {
      if (base === 'ngx.var' && key !== null && key !== 'upstream_uri')
        throw new SurfaceError(`assigns \`ngx.var.${key}\`; only \`ngx.var.upstream_uri\` can be set${lineOf(v)}`);
      return;
    }
    throw new SurfaceError(`assigns to \`${base}${key === null ? '[…]' : `.${key}`}\`, which the sandbox protects${lineOf(v)}`);
  }

  /** Checks an expression; answers the surface path it denotes, or null for any other value. */
  private expression(e: luaparse.Expression): string | null {
    this.nest(e);
    try {
      return this.expressionBody(e);
    } finally {
      this.depth--;
    }
  }

  private expressionBody(e: luaparse.Expression): string | null {
    switch (e.type) {
      case 'Identifier': {
        const local = this.lookupLocal(e.name);
        if (local.found) return local.path;
        if (e.name in this.surface) return e.name;
        if (this.ownGlobals.has(e.name)) return null;
        throw new SurfaceError(`uses \`${e.name}\`, which the Gatehouse Lua sandbox does not provide${lineOf(e)}`);
      }
      case 'MemberExpression':
        return this.member(this.expression(e.base), e.identifier.name, e);
      case 'IndexExpression': {
        const base = this.expression(e.base);
        this.expression(e.index);
        const key = stringKey(e.index);
        if (key !== null) return this.member(base, key, e);
        if (base !== null && this.node(base) !== 'dyn' && typeof this.node(base) === 'object')
          throw new SurfaceError(`indexes \`${base}\` with a computed key; name the member${lineOf(e)}`);
        return null;
      }
      case 'CallExpression':
        this.expression(e.base);
        for (const a of e.arguments) this.expression(a);
        return null;
      case 'StringCallExpression':
        this.expression(e.base);
        this.expression(e.argument);
        return null;
      case 'TableCallExpression':
        this.expression(e.base);
        this.expression(e.arguments);
        return null;
      case 'FunctionDeclaration':
        this.functionBody(e);
        return null;
      case 'BinaryExpression':
      case 'LogicalExpression':
        this.expression(e.left);
        this.expression(e.right);
        return null;
      case 'UnaryExpression':
        this.expression(e.argument);
        return null;
      case 'TableConstructorExpression':
        for (const f of e.fields) {
          if (f.type === 'TableKey') this.expression(f.key);
          this.expression(f.value);
        }
        return null;
      default:
        return null; // literals, `...`
    }
  }

  private member(base: string | null, key: string, at: luaparse.Node): string | null {
    if (base === null) return null;
    const node = this.node(base);
    if (node === 'dyn') {
      if (base === 'ngx.var' && !isKnownNgxVar(key)) throw new SurfaceError(`uses \`ngx.var.${key}\`, which the data plane does not provide${lineOf(at)}`);
      return null;
    }
    if (typeof node !== 'object') return null;
    if (!(key in node)) throw new SurfaceError(`uses \`${base}.${key}\`, which the Gatehouse Lua sandbox does not provide${lineOf(at)}`);
    return `${base}.${key}`;
  }
}
