import net from 'node:net';

/** One answer read off a raw connection. */
export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * A raw TCP connection to a server, for requests no HTTP client would send
 * (a body that never arrives, a length that lies): write bytes when the test
 * says so, read answers as they come, and see whether the server closed it.
 */
export class RawConnection {
  private received = '';
  private closed = false;
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.received += d.toString('latin1');
      this.wake();
    });
    const onClose = (): void => {
      this.closed = true;
      this.wake();
    };
    socket.on('close', onClose);
    // A reset after the server stopped reading is one way of closing.
    socket.on('error', onClose);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes bytes and waits until they are handed to the kernel (false when the connection is gone). */
  write(data: string | Buffer): Promise<boolean> {
    if (this.socket.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => this.socket.write(data, (err) => resolve(!err)));
  }

  /** The next whole answer (by its Content-Length), or null when none came within `timeoutMs` or the connection closed first. */
  async answer(timeoutMs: number): Promise<RawAnswer | null> {
    const found = await this.until(() => this.parse() !== null || this.closed, timeoutMs);
    if (!found) return null;
    const parsed = this.parse();
    if (parsed === null) return null;
    this.received = this.received.slice(parsed.length);
    return parsed.answer;
  }

  /** Whether the server closed the connection within `timeoutMs`. */
  closedWithin(timeoutMs: number): Promise<boolean> {
    return this.until(() => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): { answer: RawAnswer; length: number } | null {
    const end = this.received.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.received.slice(0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.received.length < end + 4 + length) return null;
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    return { answer: { status, head, body: this.received.slice(end + 4, end + 4 + length) }, length: end + 4 + length };
  }

  private until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (done()) return resolve(true);
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(check), 1);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(check), 1);
        resolve(true);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    for (const w of this.waiters.slice()) w();
  }
}
