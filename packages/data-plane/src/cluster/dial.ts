import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { OUTLET_PATH } from '@gatehouse/protocol';
import type { ClusterTlsMaterial } from './tls-material';

/** Snapshots are capped at 16 MiB compressed; leave room for the frame around one. */
const MAX_FRAME_BYTES = 20 * 1024 * 1024;

/** Who is connecting, as the outlet's query string tells the CP. */
export interface DialTarget {
  controlPlane: string;
  serverName?: string;
  nodeId: string;
  hostname: string;
  version: string;
}

/**
 * Opens the mTLS WebSocket to `wss://<controlPlane>/v1/outlet`: presents the
 * client certificate, trusts only the given CA (the system's when none is
 * given), and checks the CP certificate against `serverName` (default: the
 * host dialled), which may differ from the address dialled — e.g. a
 * container reaching the host's CP through `host.docker.internal`.
 */
export function dialControlPlane(target: DialTarget, material: ClusterTlsMaterial): WebSocket {
  const url = new URL(`wss://${target.controlPlane}${OUTLET_PATH}`);
  url.searchParams.set('node_id', target.nodeId);
  url.searchParams.set('node_hostname', target.hostname);
  url.searchParams.set('node_version', target.version);
  const serverName = target.serverName ?? url.hostname.replace(/^\[|\]$/g, '');
  const options: tls.ConnectionOptions & Omit<WebSocket.ClientOptions, 'checkServerIdentity'> = {
    cert: material.cert,
    key: material.key,
    ca: material.ca,
    // SNI cannot carry an IP address; the identity check below still covers it.
    servername: net.isIP(serverName) ? '' : serverName,
    checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(serverName, cert),
    minVersion: 'TLSv1.2',
    handshakeTimeout: 10_000,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  };
  // ws hands these to tls.connect, whose checkServerIdentity returns an Error; ws's own typing of it is narrower.
  return new WebSocket(url, options as WebSocket.ClientOptions);
}
