import type { Command } from 'commander';
import { upstreamHealthAnswer, type TargetHealthEntry } from '@gatehouse/protocol';
import { CliError } from '../cli-error';
import { render, type Column } from '../output';
import { sessionOf } from '../session';

const COLUMNS: Column<TargetHealthEntry>[] = [
  { header: 'TARGET', value: (t) => t.target },
  { header: 'WEIGHT', value: (t) => t.weight },
  { header: 'HEALTH', value: (t) => t.health },
  { header: 'NODES', value: (t) => (t.data.nodes.length === 0 ? '-' : t.data.nodes.map((n) => `${n.hostname}=${n.health}`).join(', ')) },
  { header: 'ADDRESSES', value: (t) => (t.data.addresses.length === 0 ? '-' : t.data.addresses.map(address).join(', ')) },
];

/** One balancer address as `ip:port=HEALTH` (IPv6 in brackets). */
function address(a: TargetHealthEntry['data']['addresses'][number]): string {
  return `${a.ip.includes(':') ? `[${a.ip}]` : a.ip}:${a.port}=${a.health}`;
}

/**
 * `gatehouse upstreams health <upstream>`: each target's health as the
 * connected data planes report it, with its addresses (a hostname target's
 * resolved ones; docs/API.md, upstream health), and
 * `gatehouse upstreams set-health <upstream> <target> healthy|unhealthy`,
 * Kong's manual override. Hung under the `upstreams` command of the listings.
 */
export function registerUpstreamHealth(program: Command): void {
  const upstreams = program.commands.find((c) => c.name() === 'upstreams') ?? program.command('upstreams');
  upstreams
    .command('health')
    .description("list an upstream's targets with their health (combined, and per node)")
    .argument('<upstream>', 'upstream name or id')
    .action(async (upstream: string, _opts: unknown, cmd: Command) => {
      const session = sessionOf(cmd);
      const answer = upstreamHealthAnswer.parse(await session.client.request('GET', `${session.groupPath}/upstreams/${encodeURIComponent(upstream)}/health`));
      process.stdout.write(render(session.format('table'), answer.data, COLUMNS));
    });
  upstreams
    .command('set-health')
    .description("override a target's health on every connected data plane (Kong's POST …/targets/{t}/healthy|unhealthy)")
    .argument('<upstream>', 'upstream name or id')
    .argument('<target>', 'target host:port or id')
    .argument('<health>', 'healthy or unhealthy')
    .action(async (upstream: string, target: string, health: string, _opts: unknown, cmd: Command) => {
      if (health !== 'healthy' && health !== 'unhealthy') throw new CliError(`health: expected one of: healthy, unhealthy (got '${health}')`);
      const session = sessionOf(cmd);
      await session.client.request('POST', `${session.groupPath}/upstreams/${encodeURIComponent(upstream)}/targets/${encodeURIComponent(target)}/${health}`);
      process.stderr.write(`target ${target} of ${upstream} set ${health}\n`);
    });
}
