import type { Command } from 'commander';
import type { ConfigSyncAnswer } from '@gatehouse/protocol';
import type { FileOptions, LoadedFile } from '../declarative-file';
import { sessionOf } from '../session';

/**
 * Sends a checked file to `POST …/config` (diff with `dryRun`, else apply).
 * The runtime group is `--runtime-group` when given, else the one the file
 * names in `_konnect`, else `default`.
 */
export async function postConfig(cmd: Command, loaded: LoadedFile, opts: FileOptions, { dryRun }: { dryRun: boolean }): Promise<ConfigSyncAnswer> {
  const first = sessionOf(cmd);
  const session = !first.groupChosen && loaded.info.runtimeGroup ? sessionOf(cmd, loaded.info.runtimeGroup) : first;
  return session.client.request<ConfigSyncAnswer>('POST', `${session.groupPath}/config`, {
    body: loaded.document,
    query: {
      dry_run: dryRun ? 'true' : undefined,
      select_tags: opts.selectTag.length > 0 ? opts.selectTag.join(',') : undefined,
      skip_unknown_plugins: opts.skipUnknownPlugins ? 'true' : undefined,
    },
  });
}
