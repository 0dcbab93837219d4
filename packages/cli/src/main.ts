import { run } from './program';

/** The `gatehouse` executable (packages/cli `bin`). */
void run(process.argv).then((code) => {
  process.exitCode = code;
});
