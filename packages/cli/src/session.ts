import type { Command } from 'commander';
import { ApiClient } from './client';
import { loadToken } from './credentials';
import type { OutputFormat } from './output';

/** The global flags (docs/DECLARATIVE.md, The CLI), as every command sees them. */
export interface GlobalOptions {
  url: string;
  token?: string;
  runtimeGroup: string;
  output?: OutputFormat;
}

/** What a command needs to talk to the control plane. */
export interface Session {
  options: GlobalOptions;
  /** The client, with `--token`/GATEHOUSE_TOKEN, else the token `login` saved for this URL. */
  client: ApiClient;
  /** `/runtime-groups/<group>`, the group escaped. */
  groupPath: string;
  /** Whether the runtime group came from the command line or the environment rather than the default. */
  groupChosen: boolean;
  /** The output format: the command's default unless `--output` was given. */
  format(fallback: OutputFormat): OutputFormat;
}

/** Builds the session of the command being run from its own and the global options. */
export function sessionOf(cmd: Command, runtimeGroup?: string): Session {
  const options = cmd.optsWithGlobals<GlobalOptions>();
  const token = options.token ?? loadToken(options.url)?.token;
  const root = rootOf(cmd);
  const group = runtimeGroup ?? options.runtimeGroup;
  return {
    options,
    client: new ApiClient(options.url, token),
    groupPath: `/runtime-groups/${encodeURIComponent(group)}`,
    groupChosen: root.getOptionValueSource('runtimeGroup') !== 'default',
    format: (fallback) => options.output ?? fallback,
  };
}

function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}
