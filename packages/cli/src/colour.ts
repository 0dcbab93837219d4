/** ANSI styles, or identity functions when colour is off. */
export interface Colours {
  green: (s: string) => string;
  yellow: (s: string) => string;
  red: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

/**
 * Colour is on for a terminal unless NO_COLOR is set; FORCE_COLOR (not "0")
 * turns it on anywhere (https://no-color.org, https://force-color.org).
 */
export function coloursFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colours {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const on = forced || (stream.isTTY === true && env.NO_COLOR === undefined);
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}
