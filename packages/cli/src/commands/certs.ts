import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { DpCertificate, IssuedDpCertificate, RenewedDpCertificate } from '@gatehouse/protocol';
import { writeFileDurableSync } from '@gatehouse/protocol/node';
import { render, type Column } from '../output';
import { sessionOf } from '../session';

type Row = DpCertificate;

const iso = (s: number | null): string | null => (s === null ? null : new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z'));

const COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'SERIAL', value: (r) => r.serial },
  { header: 'NOT AFTER', value: (r) => iso(r.not_after) },
  { header: 'REVOKED', value: (r) => (r.revoked ? iso(r.revoked_at) : 'no') },
];

interface WriteOptions {
  outDir?: string;
  validityDays?: string;
}

/**
 * Writes an issued certificate as PEM files, each durably and with its mode
 * (the key 0600) from the moment it exists, even over an existing file that
 * was readable by others; answers what was written.
 */
function writePems(dir: string, cert: IssuedDpCertificate | RenewedDpCertificate): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: [string, string, number][] = [
    ['cluster.crt', cert.cert, 0o644],
    ['cluster-ca.crt', cert.ca_cert, 0o644],
  ];
  if ('key' in cert) files.push(['cluster.key', cert.key, 0o600]);
  return files.map(([name, pem, mode]) => {
    const file = path.join(dir, name);
    writeFileDurableSync(file, pem, { mode });
    return file;
  });
}

function validityBody(opts: WriteOptions): { validity_days?: number } {
  return opts.validityDays === undefined ? {} : { validity_days: Number(opts.validityDays) };
}

/** `gatehouse certs list|issue|renew|revoke`: the runtime group's data-plane certificates. */
export function registerCerts(program: Command): void {
  const certs = program.command('certs').description("the runtime group's data-plane certificates");
  const base = (cmd: Command): string => `${sessionOf(cmd).groupPath}/dp-certificates`;

  certs
    .command('list')
    .description('list certificates')
    .action(async (_opts: unknown, cmd: Command) => {
      const session = sessionOf(cmd);
      const rows = await session.client.listAll<Row>(base(cmd));
      process.stdout.write(render(session.format('table'), rows, COLUMNS));
    });

  const output = (cmd: Command, opts: WriteOptions, cert: IssuedDpCertificate | RenewedDpCertificate): void => {
    if (opts.outDir) {
      for (const file of writePems(opts.outDir, cert)) process.stderr.write(`wrote ${file}\n`);
      process.stdout.write(`${cert.id}\n`);
      return;
    }
    process.stdout.write(render(sessionOf(cmd).format('yaml'), cert));
  };

  certs
    .command('issue')
    .description('issue a certificate (its private key is shown only now)')
    .option('--out-dir <dir>', 'write cluster.crt, cluster.key (0600) and cluster-ca.crt here instead of printing them')
    .option('--validity-days <days>', 'how long it is valid (default 180)')
    .action(async (opts: WriteOptions, cmd: Command) => {
      const cert = await sessionOf(cmd).client.request<IssuedDpCertificate>('POST', base(cmd), { body: validityBody(opts) });
      output(cmd, opts, cert);
    });

  certs
    .command('renew <id>')
    .description('renew a certificate (same key, new expiry)')
    .option('--out-dir <dir>', 'write cluster.crt and cluster-ca.crt here instead of printing them')
    .option('--validity-days <days>', 'how long it is valid (default 180)')
    .action(async (id: string, opts: WriteOptions, cmd: Command) => {
      const cert = await sessionOf(cmd).client.request<RenewedDpCertificate>('POST', `${base(cmd)}/${encodeURIComponent(id)}/renew`, {
        body: validityBody(opts),
      });
      output(cmd, opts, cert);
    });

  certs
    .command('revoke <id>')
    .description('revoke a certificate (data planes using it are cut off)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await sessionOf(cmd).client.request('DELETE', `${base(cmd)}/${encodeURIComponent(id)}`);
      process.stdout.write(`revoked ${id}\n`);
    });
}
