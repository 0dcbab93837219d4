import type { Command } from 'commander';
import { render, type Column } from '../output';
import { sessionOf } from '../session';

type Row = Record<string, unknown>;

/** A listable resource: where it lives and its table columns. */
interface Listing {
  name: string;
  description: string;
  /** Under the runtime group (`/runtime-groups/{rg}/<path>`) or at the top (`/<path>`). */
  inGroup: boolean;
  path: string;
  columns: Column<Row>[];
}

const col = (header: string, field: string): Column<Row> => ({ header, value: (r) => r[field] });
const date = (header: string, field: string): Column<Row> => ({
  header,
  value: (r) => (typeof r[field] === 'number' ? new Date(r[field] * 1000).toISOString().replace(/\.000Z$/, 'Z') : r[field]),
});

const LISTINGS: Listing[] = [
  {
    name: 'runtime-groups',
    description: 'runtime groups of the organization',
    inGroup: false,
    path: '/runtime-groups',
    columns: [col('ID', 'id'), col('NAME', 'name'), col('DESCRIPTION', 'description')],
  },
  {
    name: 'services',
    description: 'gateway services of the runtime group',
    inGroup: true,
    path: '/services',
    columns: [
      col('ID', 'id'),
      col('NAME', 'name'),
      col('PROTOCOL', 'protocol'),
      col('HOST', 'host'),
      col('PORT', 'port'),
      col('PATH', 'path'),
      col('TAGS', 'tags'),
    ],
  },
  {
    name: 'routes',
    description: 'routes of the runtime group',
    inGroup: true,
    path: '/routes',
    columns: [col('ID', 'id'), col('NAME', 'name'), col('SERVICE', 'service'), col('METHODS', 'methods'), col('PATHS', 'paths'), col('HOSTS', 'hosts')],
  },
  {
    name: 'plugins',
    description: 'plugins of the runtime group',
    inGroup: true,
    path: '/plugins',
    columns: [col('ID', 'id'), col('NAME', 'name'), col('SERVICE', 'service'), col('ROUTE', 'route'), col('CONSUMER', 'consumer'), col('ENABLED', 'enabled')],
  },
  {
    name: 'consumers',
    description: 'consumers of the runtime group',
    inGroup: true,
    path: '/consumers',
    columns: [col('ID', 'id'), col('USERNAME', 'username'), col('CUSTOM_ID', 'custom_id'), col('TAGS', 'tags')],
  },
  {
    name: 'upstreams',
    description: 'upstreams (load balancers) of the runtime group',
    inGroup: true,
    path: '/upstreams',
    columns: [col('ID', 'id'), col('NAME', 'name'), col('ALGORITHM', 'algorithm'), col('HASH_ON', 'hash_on'), col('SLOTS', 'slots'), col('TAGS', 'tags')],
  },
  {
    name: 'certificates',
    description: 'TLS certificates of the runtime group (keys are never shown)',
    inGroup: true,
    path: '/certificates',
    columns: [col('ID', 'id'), col('SNIS', 'snis'), date('EXPIRES', 'expires_at'), col('STATE', 'expiry_state'), col('TAGS', 'tags')],
  },
  {
    name: 'snis',
    description: 'SNIs (server names and their certificates) of the runtime group',
    inGroup: true,
    path: '/snis',
    columns: [col('ID', 'id'), col('NAME', 'name'), col('CERTIFICATE', 'certificate'), col('TAGS', 'tags')],
  },
  {
    name: 'ca-certificates',
    description: 'CA certificates of the runtime group',
    inGroup: true,
    path: '/ca_certificates',
    columns: [col('ID', 'id'), col('CERT_DIGEST', 'cert_digest'), date('EXPIRES', 'expires_at'), col('STATE', 'expiry_state'), col('TAGS', 'tags')],
  },
  {
    name: 'nodes',
    description: 'data-plane nodes (runtime instances) of the runtime group',
    inGroup: true,
    path: '/nodes',
    columns: [
      col('ID', 'id'),
      col('HOSTNAME', 'hostname'),
      col('VERSION', 'version'),
      col('SYNC STATUS', 'sync_status'),
      date('LAST SEEN', 'last_seen'),
      date('CERT EXPIRES', 'cert_not_after'),
    ],
  },
];

/** `gatehouse <resource> list` for runtime groups, services, routes, plugins, consumers, upstreams, certificates, SNIs, CA certificates and nodes. */
export function registerListings(program: Command): void {
  for (const listing of LISTINGS) {
    program
      .command(listing.name)
      .description(listing.description)
      .command('list')
      .description(`list ${listing.description}`)
      .action(async (_opts: unknown, cmd: Command) => {
        const session = sessionOf(cmd);
        const rows = await session.client.listAll<Row>(listing.inGroup ? `${session.groupPath}${listing.path}` : listing.path);
        process.stdout.write(render(session.format('table'), rows, listing.columns));
      });
  }
}
