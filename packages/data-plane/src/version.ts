import fs from 'node:fs';
import path from 'node:path';

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The data plane's version (its package.json), sent to the CP and in `Via`/`Server` headers. */
export const DP_VERSION = readVersion();

/** The product token of `Via` and `Server` headers, like Kong's `kong/3.x`. */
export const SERVER_TOKEN = `gatehouse/${DP_VERSION}`;
