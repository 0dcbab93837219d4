import type { Command } from 'commander';
import { STATE_KINDS, type DeclarativeState } from '@gatehouse/protocol';
import { collect, loadDeclarativeFile, type FileOptions } from '../declarative-file';
import { render } from '../output';
import { sessionOf } from '../session';

function counts(state: DeclarativeState): Record<string, number> {
  return Object.fromEntries(STATE_KINDS.map((k) => [k, state[k].length]));
}

/** `gatehouse validate -f FILE`: checks a declarative file offline, naming every wrong field. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a declarative config file offline (no control plane needed)')
    .requiredOption('-f, --file <file>', 'the declarative file (YAML or JSON; - for stdin)')
    .option('--select-tag <tag>', 'tag every entity of the file carries (repeatable)', collect, [])
    .option('--skip-unknown-plugins', 'leave out plugins Gatehouse does not have, with a warning')
    .action((opts: FileOptions, cmd: Command) => {
      const loaded = loadDeclarativeFile(opts);
      for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
      const format = sessionOf(cmd).format('table');
      const summary = { file: opts.file, valid: true, format_version: loaded.info.formatVersion, entities: counts(loaded.state), warnings: loaded.warnings };
      if (format !== 'table') {
        process.stdout.write(render(format, summary));
        return;
      }
      const parts = Object.entries(summary.entities)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`);
      process.stdout.write(`${opts.file} is valid (format ${loaded.info.formatVersion}${parts.length > 0 ? `: ${parts.join(', ')}` : ''})\n`);
    });
}
