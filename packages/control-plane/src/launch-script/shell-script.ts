import path from 'node:path';
import { DP_NODE_FLAGS } from '@gatehouse/data-plane/node-flags';
import { defaults, header, shellQuote, writeCertificateFiles, type LaunchScriptInput } from './script-parts';

/** The repository this control plane runs from (dist/launch-script → four levels up). */
export const INSTALLATION_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Where the shell kind finds its data plane: the built DP of this installation. */
export function dataPlaneEntry(root = INSTALLATION_ROOT): string {
  return path.join(root, 'packages', 'data-plane', 'dist', 'main.js');
}

/**
 * `kind: "shell"`: writes the certificate files, then runs this installation's
 * data plane in the foreground with `exec`, so signals reach it directly and
 * stopping the script stops the data plane. `node` comes from PATH, falling
 * back to the binary running this control plane.
 */
export function renderShellScript(input: LaunchScriptInput, opts: { root?: string; nodeBinary?: string } = {}): string {
  const entry = dataPlaneEntry(opts.root);
  const nodeBinary = opts.nodeBinary ?? process.execPath;
  return `${header(input, 'shell')}
${defaults([
  ['GATEHOUSE_DP_DIR', './.gatehouse-dp'],
  ['GATEHOUSE_CLUSTER_CONTROL_PLANE', input.controlPlane],
  ['GATEHOUSE_CLUSTER_SERVER_NAME', input.serverName],
])}

${writeCertificateFiles(input)}
gatehouse_dp_main=${shellQuote(entry)}
if [ ! -f "$gatehouse_dp_main" ]; then
  printf 'gatehouse: %s is missing: run "npm run build" in %s\n' "$gatehouse_dp_main" ${shellQuote(opts.root ?? INSTALLATION_ROOT)} >&2
  exit 1
fi
gatehouse_node="$(command -v node || true)"
[ -n "$gatehouse_node" ] || gatehouse_node=${shellQuote(nodeBinary)}
printf 'gatehouse: starting a data plane for runtime group %s (control plane %s, files in %s)\n' ${shellQuote(input.runtimeGroup.name)} "$GATEHOUSE_CLUSTER_CONTROL_PLANE" "$GATEHOUSE_DP_DIR" >&2
exec "$gatehouse_node" ${DP_NODE_FLAGS.join(' ')} "$gatehouse_dp_main"
`;
}
