/**
 * One line that says why something failed, whatever was thrown: an Error
 * (with its `cause` chain), a string, or a value that is no Error at all
 * (a promise rejected with nothing gives `undefined`). Never throws.
 */
export function describeFailure(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      parts.push(current.message.trim() === '' ? current.name : current.message);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : stringify(current));
      current = undefined;
    }
  }
  if (parts.length === 0) return `an unknown error (${String(err)} was thrown)`;
  return parts.join(': ').replace(/\s+/g, ' ').trim();
}

function stringify(value: unknown): string {
  try {
    // undefined for a function or a symbol, whatever the type says.
    const json = JSON.stringify(value) as string | undefined;
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // A cycle, or a BigInt: fall back to String().
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
