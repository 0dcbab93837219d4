import type { Command } from 'commander';
import type { ConfigSyncAnswer } from '@gatehouse/protocol';
import { EXIT } from '../cli-error';
import { coloursFor } from '../colour';
import { collect, loadDeclarativeFile, type FileOptions } from '../declarative-file';
import { formatDiff, hasChanges } from '../diff-printer';
import { render } from '../output';
import { sessionOf } from '../session';
import { postConfig } from './post-config';

interface DiffOptions extends FileOptions {
  exitCode?: boolean;
}

/**
 * `gatehouse diff -f FILE`: what a sync of the file would create, update and
 * delete in the runtime group. With `--exit-code` it exits 2 when there are
 * differences, so CI can tell drift from a clean state.
 */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('show what `sync` would change in the runtime group')
    .requiredOption('-f, --file <file>', 'the declarative file (YAML or JSON; - for stdin)')
    .option('--select-tag <tag>', 'only compare entities with this tag (repeatable)', collect, [])
    .option('--skip-unknown-plugins', 'leave out plugins Gatehouse does not have, with a warning')
    .option('--exit-code', 'exit with 2 when there are differences')
    .action(async (opts: DiffOptions, cmd: Command) => {
      const loaded = loadDeclarativeFile(opts);
      const answer: ConfigSyncAnswer = await postConfig(cmd, loaded, opts, { dryRun: true });
      const format = sessionOf(cmd).format('table');
      for (const w of answer.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(format === 'table' ? formatDiff(answer, coloursFor(process.stdout)) : render(format, answer));
      if (opts.exitCode && hasChanges(answer)) process.exitCode = EXIT.differences;
    });
}
