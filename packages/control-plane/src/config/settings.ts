import { z } from 'zod';
import { listenAddress, loadSettings } from '@gatehouse/protocol/node';

/** The control plane's settings (CONTRACT.md §1). */
export const cpSettingsSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  GATEHOUSE_DATA_DIR: z.string().min(1).default('./.gatehouse'),
  GATEHOUSE_ADMIN_LISTEN: listenAddress.default({ host: '0.0.0.0', port: 8001 }),
  GATEHOUSE_CLUSTER_LISTEN: listenAddress.default({ host: '0.0.0.0', port: 8005 }),
  GATEHOUSE_CLUSTER_ADVERTISE: z
    .string()
    .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port, for example cp.example.com:8005')
    .default('localhost:8005'),
  GATEHOUSE_ADMIN_EMAIL: z.email('must be an email address').default('admin@gatehouse.local'),
  GATEHOUSE_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  GATEHOUSE_ORG_NAME: z.string().min(1).max(200).default('Gatehouse'),
  GATEHOUSE_SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  GATEHOUSE_SESSION_TTL: z.coerce.number().int().min(60).default(8 * 3600),
  GATEHOUSE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});
export type CpSettings = z.output<typeof cpSettingsSchema>;

export function loadCpSettings(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): CpSettings {
  return loadSettings(cpSettingsSchema, argv, env);
}
