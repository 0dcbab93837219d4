/** The exit codes of `gatehouse` (docs/DECLARATIVE.md, The CLI). */
export const EXIT = {
  ok: 0,
  error: 1,
  /** `diff --exit-code` found differences. */
  differences: 2,
} as const;

/**
 * A failure to report to the user: its message is the first line printed,
 * `details` (one problem per line, such as the fields of a bad file) follow.
 * Anything else thrown is a bug and is printed with its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
