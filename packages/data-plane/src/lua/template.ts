import { checkLua } from './static-check';
import { TEMPLATE_SURFACE } from './surface';

/** A template split into literal text and `$(…)` Lua expressions. */
export type TemplatePiece = { text: string } | { expr: string };

/**
 * Splits a value as Kong's request-transformer renders it (Penlight's
 * `pl.template` with `$(…)` inline expressions and no `#` lines): `$(` opens
 * an expression that ends at its balancing `)`, counted as Lua's `%b()`
 * counts (parentheses inside the expression's strings count too). A `$(`
 * without its `)` is text. There is no escape character: as in Kong, a
 * literal `$(x)` is written `$('$(x)')`.
 */
export function parseTemplate(value: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$(', i)) {
      let depth = 0;
      let end = -1;
      for (let j = i + 1; j < value.length; j++) {
        if (value[j] === '(') depth++;
        else if (value[j] === ')' && --depth === 0) {
          end = j;
          break;
        }
      }
      if (end > 0) {
        if (text !== '') pieces.push({ text });
        text = '';
        pieces.push({ expr: value.slice(i + 2, end) });
        i = end + 1;
        continue;
      }
    }
    text += value.charAt(i);
    i++;
  }
  if (text !== '') pieces.push({ text });
  return pieces;
}

/** Whether a value has a `$(…)` expression (only such values touch the Lua VM). */
export function isTemplate(value: string): boolean {
  return value.includes('$(') && parseTemplate(value).some((p) => 'expr' in p);
}

/** A Lua string literal for any text (bytes outside printable ASCII as decimal escapes). */
function luaString(s: string): string {
  let out = '"';
  for (const b of new TextEncoder().encode(s)) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * The Lua chunk that renders a template: the concatenation of its pieces,
 * each expression as Penlight writes it, `tostring((expr) or '')` (nil and
 * false render as empty text). The chunk receives `tostring` as its
 * argument, so the expression cannot shadow it.
 */
export function templateLua(value: string): string {
  const parts = parseTemplate(value).map((p) => ('text' in p ? luaString(p.text) : `__tostring((${p.expr}) or '')`));
  return `local __tostring = ...\nreturn ${parts.length === 0 ? '""' : parts.join(' .. ')}`;
}

/**
 * Checks every expression of a template against the template surface
 * (headers, query_params, uri_captures, shared, and the function sandbox):
 * null when it may run, else the first problem.
 */
export function checkTemplate(value: string): string | null {
  for (const p of parseTemplate(value)) {
    if (!('expr' in p)) continue;
    const problem = checkLua(`return (${p.expr})`, TEMPLATE_SURFACE);
    if (problem !== null) return `invalid template $(${p.expr}): ${problem}`;
  }
  return null;
}
