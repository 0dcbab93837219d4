import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { sessionOf } from '../session';

interface LaunchScriptOptions {
  kind: 'shell' | 'docker';
  outputFile?: string;
}

/**
 * `gatehouse launch-script --kind shell|docker`: the script that starts a
 * data plane of the runtime group, with a fresh certificate inside (Runtime
 * Manager's "Copy Script"). It holds a private key, so a file gets mode 0700.
 */
export function registerLaunchScript(program: Command): void {
  program
    .command('launch-script')
    .description('print a script that starts a data plane for the runtime group')
    .addOption(new Option('--kind <kind>', 'run the data plane directly or in Docker').choices(['shell', 'docker']).default('shell'))
    .option('-o, --output-file <file>', 'write the script to this file (mode 0700) instead of stdout')
    .action(async (opts: LaunchScriptOptions, cmd: Command) => {
      const session = sessionOf(cmd);
      const script = await session.client.request<string>('POST', `${session.groupPath}/launch-script`, {
        body: { kind: opts.kind },
        accept: 'text/x-shellscript',
      });
      if (!opts.outputFile) {
        process.stdout.write(script);
        return;
      }
      fs.writeFileSync(opts.outputFile, script, { mode: 0o700 });
      process.stderr.write(`wrote ${opts.outputFile}\n`);
    });
}
