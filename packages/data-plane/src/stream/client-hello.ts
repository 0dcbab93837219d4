import type { Socket } from 'node:net';
import { getExtensionData, NonTlsError, readTlsClientHello, type TlsClientHelloMessage } from 'read-tls-client-hello';

/** What the first bytes of a connection said: a TLS ClientHello (with its SNI, null when it named none), or something else. */
export type Preread = { tls: true; sni: string | null; hello: TlsClientHelloMessage } | { tls: false };

/**
 * Reads the client's TLS ClientHello without consuming it (the bytes are put
 * back, so the connection can be piped on untouched: nginx's `ssl_preread`).
 * Resolves `{tls: false}` for a connection that does not start with one;
 * rejects when the client sends nothing usable within `timeoutMs` or goes away.
 */
export function prereadClientHello(socket: Socket, timeoutMs: number): Promise<Preread> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no TLS ClientHello within ${timeoutMs} ms`)), timeoutMs);
    readTlsClientHello(socket).then(
      (hello) => {
        clearTimeout(timer);
        const name = getExtensionData(hello, 'sni')?.serverName;
        resolve({ tls: true, sni: typeof name === 'string' && name !== '' ? name.toLowerCase() : null, hello });
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (err instanceof NonTlsError && !err.message.includes('closed')) resolve({ tls: false });
        else reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
