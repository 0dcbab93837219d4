/**
 * Progress on stderr for steps that may take a while (a large sync): on a
 * terminal a spinner with the elapsed seconds, redrawn in place; elsewhere
 * one line when the step starts and one when it ends, so logs stay readable.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private started = 0;
  private label = '';
  private frame = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  start(label: string): void {
    this.stop();
    this.label = label;
    this.started = Date.now();
    if (!this.stream.isTTY) {
      this.stream.write(`${label}…\n`);
      return;
    }
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    const draw = (): void => {
      const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
      this.stream.write(`\r${frames[this.frame++ % frames.length]} ${this.label}… ${seconds}s`);
    };
    draw();
    this.timer = setInterval(draw, 100);
  }

  /** Ends the current step, printing how long it took. */
  done(result = 'done'): void {
    if (this.label === '') return;
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    this.stop();
    this.stream.write(`${this.stream.isTTY ? '\r\u001b[K' : ''}${this.label}: ${result} (${seconds}s)\n`);
    this.label = '';
  }

  /** Stops drawing without a final line (the step failed; the error says why). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.stream.isTTY && this.label !== '') this.stream.write('\r\u001b[K');
  }
}
