import { randomBytes } from 'node:crypto';
import { DEFAULT_RUNTIME_GROUP } from '@gatehouse/protocol';
import { hashPassword } from '@gatehouse/protocol/node';
import type { CpSettings } from './config/settings';
import type { Db } from './database/client';
import type { Logger } from './logging';

// Held for the bootstrap transaction only; distinct from the migrator's lock.
const BOOTSTRAP_LOCK_KEY = 72707370;

/** What bootstrap found or made. */
export interface BootstrapResult {
  organizationId: string;
  created: boolean;
}

/**
 * Makes an empty database usable: the organization (GATEHOUSE_ORG_NAME), the
 * admin user (GATEHOUSE_ADMIN_EMAIL / GATEHOUSE_ADMIN_PASSWORD, or a generated
 * password logged once as `admin_password_generated`), and the runtime group
 * `default`. A database that already has an organization is left alone. Two
 * CP processes starting at once take turns on a transaction-scoped advisory
 * lock, so exactly one of them creates anything.
 */
export async function bootstrap(db: Db, settings: CpSettings, log: Logger): Promise<BootstrapResult> {
  const adminPassword = settings.GATEHOUSE_ADMIN_PASSWORD ?? randomBytes(15).toString('base64url');
  const passwordHash = await hashPassword(adminPassword);
  const result = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`;
    const existing = await tx.organization.findFirst({ orderBy: { createdAt: 'asc' } });
    if (existing) {
      // A database bootstrapped before `default` could be deleted by hand is repaired, never duplicated.
      await tx.runtimeGroup.upsert({
        where: { organizationId_name: { organizationId: existing.id, name: DEFAULT_RUNTIME_GROUP } },
        create: { organizationId: existing.id, name: DEFAULT_RUNTIME_GROUP, description: 'The default runtime group' },
        update: {},
      });
      return { organizationId: existing.id, created: false };
    }
    const organization = await tx.organization.create({ data: { name: settings.GATEHOUSE_ORG_NAME } });
    await tx.user.create({
      data: { organizationId: organization.id, email: settings.GATEHOUSE_ADMIN_EMAIL.toLowerCase(), fullName: 'Administrator', passwordHash },
    });
    await tx.runtimeGroup.create({
      data: { organizationId: organization.id, name: DEFAULT_RUNTIME_GROUP, description: 'The default runtime group' },
    });
    return { organizationId: organization.id, created: true };
  });
  if (result.created) {
    log.info(
      { event: 'bootstrapped', organization: settings.GATEHOUSE_ORG_NAME, admin_email: settings.GATEHOUSE_ADMIN_EMAIL },
      'created the organization, the admin user and the default runtime group',
    );
    if (!settings.GATEHOUSE_ADMIN_PASSWORD) {
      // Printed exactly once: only the process that created the admin gets here.
      log.warn(
        { event: 'admin_password_generated', admin_email: settings.GATEHOUSE_ADMIN_EMAIL, generated_password: adminPassword },
        `admin user ${settings.GATEHOUSE_ADMIN_EMAIL} created with the generated password ${adminPassword} (shown only this once; set GATEHOUSE_ADMIN_PASSWORD to choose one)`,
      );
    }
  }
  return result;
}
