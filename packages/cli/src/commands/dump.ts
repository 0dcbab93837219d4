import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { collect } from '../declarative-file';
import { sessionOf } from '../session';

interface DumpOptions {
  outputFile?: string;
  /** As typed on the command line: checked before use. */
  format?: string;
  selectTag: string[];
  withId?: boolean;
}

/**
 * `gatehouse dump [-o FILE]`: the runtime group as a declarative file (YAML
 * unless the file ends in .json or `--format json`). Secrets appear only as
 * hashes (`key_hash`, `password_hash`), which `sync` takes back unchanged.
 */
export function registerDump(program: Command): void {
  program
    .command('dump')
    .description('write the runtime group as a declarative file')
    .option('-o, --output-file <file>', 'write to this file instead of stdout')
    .option('--format <format>', 'yaml or json (default: from the file name, else yaml)')
    .option('--select-tag <tag>', 'only entities with this tag (repeatable)', collect, [])
    .option('--with-id', 'include entity ids')
    .action(async (opts: DumpOptions, cmd: Command) => {
      const session = sessionOf(cmd);
      const global = session.options.output;
      const format = opts.format ?? (opts.outputFile?.endsWith('.json') ? 'json' : global === 'json' ? 'json' : 'yaml');
      if (format !== 'yaml' && format !== 'json') throw new CliError(`--format must be yaml or json, not "${format}"`);
      const answer = await session.client.request<unknown>('GET', `${session.groupPath}/config`, {
        accept: format === 'yaml' ? 'application/yaml' : 'application/json',
        query: { select_tags: opts.selectTag.length > 0 ? opts.selectTag.join(',') : undefined, with_id: opts.withId ? 'true' : undefined },
      });
      const text = typeof answer === 'string' ? answer : `${JSON.stringify(answer, null, 2)}\n`;
      if (!opts.outputFile) {
        process.stdout.write(text);
        return;
      }
      // A dump holds credential hashes: keep it private to its owner.
      fs.writeFileSync(opts.outputFile, text, { mode: 0o600 });
      process.stderr.write(`wrote ${opts.outputFile}\n`);
    });
}
