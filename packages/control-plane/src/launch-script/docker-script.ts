import fs from 'node:fs';
import path from 'node:path';
import { defaults, header, writeCertificateFiles, type LaunchScriptInput } from './script-parts';
import { INSTALLATION_ROOT } from './shell-script';

/** The data-plane image `packages/data-plane/Dockerfile` builds, tagged with this installation's version. */
export function dataPlaneImage(root = INSTALLATION_ROOT): string {
  let version = 'latest';
  try {
    version = (JSON.parse(fs.readFileSync(path.join(root, 'packages', 'data-plane', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // Without the package file the tag falls back to `latest`; GATEHOUSE_DP_IMAGE overrides it anyway.
  }
  return `gatehouse/data-plane:${version}`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Inside a container, `localhost` is the container itself: a CP advertised on
 * a loopback name is dialled through `host.docker.internal` instead, while
 * the certificate is still checked against the advertised name.
 */
export function containerControlPlane(controlPlane: string): string {
  const i = controlPlane.lastIndexOf(':');
  const host = controlPlane.slice(0, i);
  return LOOPBACK.has(host) ? `host.docker.internal${controlPlane.slice(i)}` : controlPlane;
}

/** Container paths the files are mounted at (read-only); the DP dir is mounted read-write for the node id, cache and stats. */
const IN_CONTAINER = {
  dir: '/var/lib/gatehouse-dp',
  cert: '/etc/gatehouse/cluster.crt',
  key: '/etc/gatehouse/cluster.key',
  ca: '/etc/gatehouse/cluster-ca.crt',
};

/**
 * `kind: "docker"`: writes the certificate files, then (re)starts the
 * project's data-plane image as container GATEHOUSE_DP_CONTAINER with the
 * files mounted read-only and `-p 8000:8000`. Every other `GATEHOUSE_*`
 * variable of this shell is passed into the container, so the environment
 * still wins. The container runs as the calling user, who owns the 0600 key.
 */
export function renderDockerScript(input: LaunchScriptInput, opts: { image?: string } = {}): string {
  return `${header(input, 'docker')}
${defaults([
  ['GATEHOUSE_DP_DIR', './.gatehouse-dp'],
  ['GATEHOUSE_CLUSTER_CONTROL_PLANE', containerControlPlane(input.controlPlane)],
  ['GATEHOUSE_CLUSTER_SERVER_NAME', input.serverName],
  ['GATEHOUSE_DP_IMAGE', opts.image ?? dataPlaneImage()],
  ['GATEHOUSE_DP_CONTAINER', 'gatehouse-dp'],
])}

${writeCertificateFiles(input)}
gatehouse_env=()
for gatehouse_name in $(compgen -e | grep '^GATEHOUSE_'); do
  case "$gatehouse_name" in
    GATEHOUSE_DP_DIR | GATEHOUSE_CLUSTER_CERT | GATEHOUSE_CLUSTER_CERT_KEY | GATEHOUSE_CLUSTER_CA | GATEHOUSE_DP_IMAGE | GATEHOUSE_DP_CONTAINER) ;;
    *) gatehouse_env+=(-e "$gatehouse_name") ;;
  esac
done
docker rm -f "$GATEHOUSE_DP_CONTAINER" >/dev/null 2>&1 || true
docker run -d --name "$GATEHOUSE_DP_CONTAINER" --restart unless-stopped \\
  --user "$(id -u):$(id -g)" \\
  --add-host host.docker.internal:host-gateway \\
  -v "$GATEHOUSE_DP_DIR:${IN_CONTAINER.dir}" \\
  -v "$GATEHOUSE_CLUSTER_CERT:${IN_CONTAINER.cert}:ro" \\
  -v "$GATEHOUSE_CLUSTER_CERT_KEY:${IN_CONTAINER.key}:ro" \\
  -v "$GATEHOUSE_CLUSTER_CA:${IN_CONTAINER.ca}:ro" \\
  -e GATEHOUSE_DP_DIR=${IN_CONTAINER.dir} \\
  -e GATEHOUSE_CLUSTER_CERT=${IN_CONTAINER.cert} \\
  -e GATEHOUSE_CLUSTER_CERT_KEY=${IN_CONTAINER.key} \\
  -e GATEHOUSE_CLUSTER_CA=${IN_CONTAINER.ca} \\
  \${gatehouse_env[@]+"\${gatehouse_env[@]}"} \\
  -p 8000:8000 \\
  "$GATEHOUSE_DP_IMAGE"
printf 'gatehouse: data plane container %s started; logs: docker logs -f %s\\n' "$GATEHOUSE_DP_CONTAINER" "$GATEHOUSE_DP_CONTAINER" >&2
`;
}
