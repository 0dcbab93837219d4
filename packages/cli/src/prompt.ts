import readline from 'node:readline';

/**
 * Asks a question on the terminal. With `secret`, what is typed is not
 * echoed (for passwords).
 */
export function ask(question: string, secret = false): Promise<string> {
  const output = process.stderr;
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  if (secret) {
    // readline echoes through _writeToOutput; swallow everything after the question.
    const internal = rl as unknown as { _writeToOutput(s: string): void };
    let asked = false;
    internal._writeToOutput = (s: string) => {
      if (!asked) {
        output.write(s);
        asked = true;
      }
    };
  }
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (secret) output.write('\n');
      resolve(answer);
    });
  });
}

/** Reads all of stdin (for `--password-stdin`), without the final newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
