import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** A request of the test service (test/support/grpc/echo.proto). */
export interface EchoRequest {
  message?: string;
  count?: number;
  delay_ms?: number;
  fail_code?: number;
}

/** A reply of the test service: `seen` is the request headers the upstream got, as JSON. */
export interface EchoReply {
  message: string;
  seen: string;
  index: number;
}

type Unary = (
  req: EchoRequest,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, reply?: EchoReply) => void,
) => grpc.ClientUnaryCall;

/** The generated client of the test service. */
export interface EchoClient extends grpc.Client {
  Unary: Unary;
  ServerStream(req: EchoRequest, md?: grpc.Metadata, opts?: grpc.CallOptions): grpc.ClientReadableStream<EchoReply>;
  ClientStream(
    md: grpc.Metadata,
    opts: grpc.CallOptions,
    cb: (err: grpc.ServiceError | null, reply?: EchoReply) => void,
  ): grpc.ClientWritableStream<EchoRequest>;
  Bidi(md?: grpc.Metadata, opts?: grpc.CallOptions): grpc.ClientDuplexStream<EchoRequest, EchoReply>;
}

type EchoClientClass = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => EchoClient;

function loadService(): { Client: EchoClientClass; definition: grpc.ServiceDefinition } {
  const def = protoLoader.loadSync(path.join(__dirname, 'grpc', 'echo.proto'), { keepCase: true, longs: Number, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { gatehouse: { test: { Echo: EchoClientClass & { service: grpc.ServiceDefinition } } } };
  const Echo = pkg.gatehouse.test.Echo;
  return { Client: Echo, definition: Echo.service };
}

const { Client, definition } = loadService();

/** The request headers a call arrived with (binary ones left out) and its `:authority`, as the reply's `seen`. */
function seen(md: grpc.Metadata, authority: string): string {
  const out: Record<string, string> = { ':authority': authority };
  for (const [k, v] of Object.entries(md.getMap())) out[k] = String(v);
  return JSON.stringify(out);
}

function failure(req: EchoRequest): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set('x-failure-detail', `code ${req.fail_code ?? 0}`);
  // The proto carries the code as a number; grpc-js's Status enum has every gRPC code.
  const code: grpc.status = grpc.status[grpc.status[req.fail_code ?? 2] as keyof typeof grpc.status];
  return { code, details: req.message ?? '', metadata };
}

/** A running test upstream: the calls it saw cancelled (by a client or a deadline), and how to stop it. */
export interface GrpcUpstream {
  port: number;
  /** Names of methods whose call ended cancelled on the upstream's side. */
  readonly cancelled: string[];
  /** Unary calls answered so far. */
  readonly unaryCalls: number;
  close(): Promise<void>;
}

/**
 * Starts the test gRPC service (@grpc/grpc-js) on 127.0.0.1: plaintext
 * (h2c), or TLS with `tls` (a PEM certificate and key). Unary echoes the
 * message (or fails with `fail_code`, `message` as details and an
 * `x-failure-detail` trailer); ServerStream sends `count` replies and a
 * `x-trailer` trailer; ClientStream joins the messages; Bidi answers each
 * message as it comes. `delay_ms` delays the answer.
 */
export async function startGrpcUpstream(tls?: { cert: string; key: string }): Promise<GrpcUpstream> {
  const server = new grpc.Server();
  const cancelled: string[] = [];
  let unaryCalls = 0;
  /** Records a cancel of a call the handler had not answered yet (grpc-js also emits 'cancelled' when an answered call's stream closes). */
  const watch = (name: string, call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>): { answered: boolean } => {
    const state = { answered: false };
    call.on('cancelled', () => {
      if (!state.answered) cancelled.push(name);
    });
    return state;
  };
  server.addService(definition, {
    Unary: (call: grpc.ServerUnaryCall<EchoRequest, EchoReply>, cb: grpc.sendUnaryData<EchoReply>) => {
      const state = watch('Unary', call);
      unaryCalls++;
      const req = call.request;
      setTimeout(() => {
        if (call.cancelled) return;
        state.answered = true;
        if (req.fail_code) return cb(failure(req));
        cb(null, { message: `echo:${req.message ?? ''}`, seen: seen(call.metadata, call.getHost()), index: 0 });
      }, req.delay_ms ?? 0);
    },
    ServerStream: (call: grpc.ServerWritableStream<EchoRequest, EchoReply>) => {
      const state = watch('ServerStream', call);
      const req = call.request;
      let i = 0;
      const next = (): void => {
        if (call.cancelled) return;
        if (i >= (req.count ?? 0)) {
          const trailer = new grpc.Metadata();
          trailer.set('x-trailer', 'done');
          state.answered = true;
          call.end(trailer);
          return;
        }
        call.write({ message: `${req.message ?? ''}#${i}`, seen: '', index: i });
        i++;
        setTimeout(next, req.delay_ms ?? 0);
      };
      next();
    },
    ClientStream: (call: grpc.ServerReadableStream<EchoRequest, EchoReply>, cb: grpc.sendUnaryData<EchoReply>) => {
      const parts: string[] = [];
      call.on('data', (m: EchoRequest) => parts.push(m.message ?? ''));
      call.on('end', () => cb(null, { message: parts.join('+'), seen: seen(call.metadata, call.getHost()), index: parts.length }));
    },
    Bidi: (call: grpc.ServerDuplexStream<EchoRequest, EchoReply>) => {
      let i = 0;
      call.on('data', (m: EchoRequest) => call.write({ message: `echo:${m.message ?? ''}`, seen: '', index: i++ }));
      call.on('end', () => call.end());
    },
  });
  const credentials = tls
    ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: fs.readFileSync(tls.cert), private_key: fs.readFileSync(tls.key) }])
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))));
  return {
    port,
    cancelled,
    get unaryCalls() {
      return unaryCalls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

/**
 * A client of the test service at `address` (`host:port`): plaintext h2c,
 * or TLS trusting the PEM certificate `caFile` (the gateway's own).
 */
export function echoClient(address: string, caFile?: string): EchoClient {
  const credentials = caFile ? grpc.credentials.createSsl(fs.readFileSync(caFile)) : grpc.credentials.createInsecure();
  return new Client(address, credentials);
}

/** One unary call; resolves with the reply, or the gRPC error (status code, details, trailers). */
export function unary(client: EchoClient, req: EchoRequest, md = new grpc.Metadata(), opts: grpc.CallOptions = {}): Promise<EchoReply | grpc.ServiceError> {
  return new Promise((resolve) => {
    client.Unary(req, md, opts, (err, reply) => resolve(err ?? reply!));
  });
}

export { grpc };
