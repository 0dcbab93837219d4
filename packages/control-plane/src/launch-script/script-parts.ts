/**
 * The pieces both kinds of launch script share: the header, the defaults
 * (every `GATEHOUSE_*` variable already set wins), and writing the
 * certificate, key and cluster CA into GATEHOUSE_DP_DIR.
 */

/** What a launch script carries: the group, a fresh certificate and where the CP is. */
export interface LaunchScriptInput {
  runtimeGroup: { id: string; name: string };
  certificate: { id: string; cert: string; key: string; ca_cert: string; not_after: Date };
  /** GATEHOUSE_CLUSTER_ADVERTISE: `host:port` data planes dial. */
  controlPlane: string;
  /** The name the CP's cluster certificate is checked against (a SAN of it). */
  serverName: string;
  generatedAt: Date;
}

/** Quotes a value for bash: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A heredoc delimiter that cannot occur in PEM text (PEM is base64 and dashes). */
const PEM_END = 'GATEHOUSE_PEM_END';

export function header(input: LaunchScriptInput, kind: string): string {
  const rg = input.runtimeGroup;
  return `#!/usr/bin/env bash
# Gatehouse data plane (${kind}) for runtime group ${JSON.stringify(rg.name)} (${rg.id}).
# Generated ${input.generatedAt.toISOString()}; control plane ${input.controlPlane}.
# Certificate ${input.certificate.id}, valid until ${input.certificate.not_after.toISOString()}.
# This script holds a private key: keep it as secret as a password.
#
# Any GATEHOUSE_* variable already set in the environment wins over the values
# below, so ports and directories change without editing the script, e.g.
#   GATEHOUSE_DP_DIR=/var/lib/gatehouse-dp GATEHOUSE_PROXY_LISTEN=0.0.0.0:9000 bash <this script>
# Running it again on this host keeps the node id (it lives in GATEHOUSE_DP_DIR).
set -euo pipefail
`;
}

/**
 * `: "${NAME:=value}"` lines: assign only when unset or empty, so a variable
 * already set in the environment wins (docs/DATA-PLANE.md, The launch script). Values are raw text, escaped here
 * for the double-quoted context they land in.
 */
export function defaults(values: readonly [name: string, value: string][]): string {
  return values.map(([name, value]) => `: "\${${name}:=${value.replace(/[\\$`"]/g, '\\$&')}}"`).join('\n');
}

/**
 * Creates GATEHOUSE_DP_DIR, makes it absolute, points the certificate settings
 * at files in it (unless already set), and writes the three PEM files there,
 * each durably, like every file Gatehouse keeps (docs/ARCHITECTURE.md,
 * "Files on disk"): temp file, flushed (`sync FILE`, GNU coreutils and
 * busybox; elsewhere a plain `sync`), rename, then the directory flushed; the
 * key 0600 from the moment it exists.
 * A renewed pair left by an earlier run is removed: this script's certificate is newer.
 */
export function writeCertificateFiles(input: LaunchScriptInput): string {
  const { cert, key, ca_cert: ca } = input.certificate;
  return `mkdir -p "$GATEHOUSE_DP_DIR"
GATEHOUSE_DP_DIR="$(cd "$GATEHOUSE_DP_DIR" && pwd)"
: "\${GATEHOUSE_CLUSTER_CERT:=$GATEHOUSE_DP_DIR/cluster.crt}"
: "\${GATEHOUSE_CLUSTER_CERT_KEY:=$GATEHOUSE_DP_DIR/cluster.key}"
: "\${GATEHOUSE_CLUSTER_CA:=$GATEHOUSE_DP_DIR/cluster-ca.crt}"
export GATEHOUSE_DP_DIR GATEHOUSE_CLUSTER_CONTROL_PLANE GATEHOUSE_CLUSTER_SERVER_NAME GATEHOUSE_CLUSTER_CERT GATEHOUSE_CLUSTER_CERT_KEY GATEHOUSE_CLUSTER_CA

gatehouse_write() { # <file> <mode>, content on stdin
  local tmp
  tmp="$(umask 077 && mktemp "$1.XXXXXX")"
  cat >"$tmp"
  chmod "$2" "$tmp"
  sync "$tmp" 2>/dev/null || sync
  mv -f "$tmp" "$1"
  sync "$(dirname "$1")" 2>/dev/null || sync
}
gatehouse_write "$GATEHOUSE_DP_DIR/cluster.key" 600 <<'${PEM_END}'
${key.trim()}
${PEM_END}
gatehouse_write "$GATEHOUSE_DP_DIR/cluster.crt" 644 <<'${PEM_END}'
${cert.trim()}
${PEM_END}
gatehouse_write "$GATEHOUSE_DP_DIR/cluster-ca.crt" 644 <<'${PEM_END}'
${ca.trim()}
${PEM_END}
rm -f "$GATEHOUSE_DP_DIR/cluster-renewed.crt" "$GATEHOUSE_DP_DIR/cluster-renewed.key"
`;
}
