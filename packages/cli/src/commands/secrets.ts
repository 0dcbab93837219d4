import fs from 'node:fs';
import type { Command } from 'commander';
import type { SecretAnswer } from '@gatehouse/protocol';
import { CliError } from '../cli-error';
import { render, type Column } from '../output';
import { sessionOf } from '../session';

const when = (t: number): string => new Date(t * 1000).toISOString().replace(/\.000Z$/, 'Z');

const COLUMNS: Column<SecretAnswer>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'RUNTIME GROUPS', value: (s) => s.runtime_groups.map((g) => g.name) },
  { header: 'CREATED', value: (s) => when(s.created_at) },
  { header: 'UPDATED', value: (s) => when(s.updated_at) },
];

/** The value to store: `--from-env`, `--from-file`, else standard input (never an argument, which shell history keeps). */
function readValue(opts: { fromEnv?: string; fromFile?: string }): string {
  if (opts.fromEnv !== undefined && opts.fromFile !== undefined) throw new CliError('give one of --from-env and --from-file, not both');
  if (opts.fromEnv !== undefined) {
    const v = process.env[opts.fromEnv];
    if (v === undefined) throw new CliError(`--from-env: the environment has no variable ${opts.fromEnv}`);
    return v;
  }
  const text = fs.readFileSync(opts.fromFile ?? 0, 'utf8');
  // A value piped with `echo` ends with one newline that is not part of it.
  return opts.fromFile === undefined ? text.replace(/\r?\n$/, '') : text;
}

/**
 * `gatehouse secrets list|set|delete`: the organization's secret store, what
 * `{vault://gatehouse/<name>}` references resolve to (docs/SECURITY.md). The
 * value of `set` comes from standard input, a file or an environment variable.
 */
export function registerSecrets(program: Command): void {
  const secrets = program.command('secrets').description("the organization's secret store ({vault://gatehouse/<name>} references)");
  secrets
    .command('list')
    .description('list secrets with the runtime groups that reference them (values are never shown)')
    .action(async (_opts: unknown, cmd: Command) => {
      const session = sessionOf(cmd);
      const rows = await session.client.listAll<SecretAnswer>('/secrets');
      process.stdout.write(render(session.format('table'), rows, COLUMNS));
    });
  secrets
    .command('set')
    .description('create or change a secret; the value is read from standard input unless --from-env or --from-file is given')
    .argument('<name>', 'secret name')
    .option('--from-env <variable>', 'take the value from this environment variable')
    .option('--from-file <path>', 'take the value from this file, as is')
    .action(async (name: string, opts: { fromEnv?: string; fromFile?: string }, cmd: Command) => {
      const session = sessionOf(cmd);
      const value = readValue(opts);
      const saved = await session.client.request<SecretAnswer>('PUT', `/secrets/${encodeURIComponent(name)}`, { body: { value } });
      const users = saved.runtime_groups.map((g) => g.name);
      process.stderr.write(`secret ${name} set${users.length > 0 ? `; pushed to runtime group(s) ${users.join(', ')}` : ''}\n`);
    });
  secrets
    .command('delete')
    .description('delete a secret (refused while a runtime group references it)')
    .argument('<name>', 'secret name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const session = sessionOf(cmd);
      await session.client.request('DELETE', `/secrets/${encodeURIComponent(name)}`);
      process.stderr.write(`secret ${name} deleted\n`);
    });
}
