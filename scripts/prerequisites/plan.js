'use strict';
/**
 * What to do about missing test prerequisites, decided from facts about the
 * machine alone so the decision can be tested without touching one.
 */

/**
 * @typedef {{ name: string, pkg: string }} Missing  a program the tests need, and the apt package that has it
 * @typedef {{ aptGet: boolean, root: boolean, sudo: boolean, allowed: boolean }} Host
 *   aptGet: apt-get is on PATH; root: running as uid 0; sudo: `sudo -n true` succeeds;
 *   allowed: installing is not turned off (GATEHOUSE_INSTALL_PREREQUISITES=0)
 * @typedef {{ kind: 'ready' }
 *   | { kind: 'install', packages: string[], sudo: boolean }
 *   | { kind: 'refuse', line: string }} Plan
 */

/** The apt packages that hold the missing programs, each once. */
function packagesOf(missing) {
  return [...new Set(missing.map((m) => m.pkg))];
}

/** The one line that tells a person what to run, when this script cannot run it itself. */
function refusal(missing, aptGet = true) {
  const names = missing.map((m) => m.name).join(', ');
  const packages = packagesOf(missing).join(' ');
  const command = aptGet ? `run 'sudo apt-get install -y ${packages}'` : `install ${packages} with this system's package manager`;
  return `missing ${names}: ${command} and then npm test again`;
}

/**
 * Install with apt-get as root, or through passwordless sudo, as
 * `playwright install --with-deps` does; otherwise refuse with one line.
 * @param {Missing[]} missing
 * @param {Host} host
 * @returns {Plan}
 */
function plan(missing, host) {
  if (missing.length === 0) return { kind: 'ready' };
  if (!host.allowed || !host.aptGet || (!host.root && !host.sudo)) return { kind: 'refuse', line: refusal(missing, host.aptGet) };
  return { kind: 'install', packages: packagesOf(missing), sudo: !host.root };
}

module.exports = { plan, refusal };
