import type { Command } from 'commander';
import { STATE_KINDS } from '@gatehouse/protocol';
import { coloursFor } from '../colour';
import { collect, loadDeclarativeFile, type FileOptions } from '../declarative-file';
import { formatDiff } from '../diff-printer';
import { render } from '../output';
import { Progress } from '../progress';
import { sessionOf } from '../session';
import { postConfig } from './post-config';

interface SyncOptions extends FileOptions {
  dryRun?: boolean;
}

/**
 * `gatehouse sync -f FILE`: makes the runtime group match the file, all or
 * nothing (the control plane applies it in one transaction). `--dry-run`
 * only shows the changes. Progress goes to stderr, the changes to stdout.
 */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('make the runtime group match the file (all or nothing)')
    .requiredOption('-f, --file <file>', 'the declarative file (YAML or JSON; - for stdin)')
    .option('--select-tag <tag>', 'only manage entities with this tag (repeatable)', collect, [])
    .option('--skip-unknown-plugins', 'leave out plugins Gatehouse does not have, with a warning')
    .option('--dry-run', 'show the changes without making them')
    .action(async (opts: SyncOptions, cmd: Command) => {
      const progress = new Progress();
      try {
        progress.start(`reading ${opts.file}`);
        const loaded = loadDeclarativeFile(opts);
        const total = STATE_KINDS.reduce((n, k) => n + loaded.state[k].length, 0);
        progress.done(`${total} entities`);
        progress.start(opts.dryRun ? 'computing the changes' : 'applying');
        const answer = await postConfig(cmd, loaded, opts, { dryRun: opts.dryRun ?? false });
        const s = answer.summary;
        progress.done(`${s.creates} created, ${s.updates} updated, ${s.deletes} deleted${opts.dryRun ? ' (dry run: nothing changed)' : ''}`);
        for (const w of answer.warnings) process.stderr.write(`warning: ${w}\n`);
        const format = sessionOf(cmd).format('table');
        process.stdout.write(format === 'table' ? formatDiff(answer, coloursFor(process.stdout)) : render(format, answer));
      } finally {
        progress.stop();
      }
    });
}
