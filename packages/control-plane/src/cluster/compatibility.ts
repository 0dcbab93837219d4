import fs from 'node:fs';
import path from 'node:path';

const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)/;

/** This control plane's version, from its package.json (the same file in src/ and dist/ layouts). */
export function controlPlaneVersion(): string {
  const file = path.resolve(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Why a data plane cannot be given the config, or null when it can
 * (docs/CLUSTER.md, The outlet: Compatibility; Kong's rules): its major version differs from the
 * CP's, its minor is newer than the CP's, or it lacks a plugin the group's
 * config uses. An unreadable version counts as incompatible.
 */
export function incompatibility(cpVersion: string, dpVersion: string, dpPlugins: ReadonlySet<string>, configPlugins: Iterable<string>): string | null {
  const cp = VERSION_PATTERN.exec(cpVersion);
  const dp = VERSION_PATTERN.exec(dpVersion);
  if (!cp || !dp) return `data plane version '${dpVersion}' is not a version (major.minor.patch)`;
  const [cpMajor, cpMinor] = [Number(cp[1]), Number(cp[2])];
  const [dpMajor, dpMinor] = [Number(dp[1]), Number(dp[2])];
  if (dpMajor !== cpMajor) {
    return `data plane version ${dpVersion} is incompatible with control plane version ${cpVersion} (${cpMajor}.x.y are accepted)`;
  }
  if (dpMinor > cpMinor) {
    return `data plane version ${dpVersion} is newer than control plane version ${cpVersion} (${cpMajor}.${cpMinor}.y or older minors are accepted)`;
  }
  const missing = [...new Set(configPlugins)].filter((p) => !dpPlugins.has(p)).sort();
  if (missing.length > 0) return `data plane lacks plugins the configuration uses: ${missing.join(', ')}`;
  return null;
}
