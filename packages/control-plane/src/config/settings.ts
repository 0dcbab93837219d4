import { z } from 'zod';
import { listenAddress, loadSettings } from '@gatehouse/protocol/node';

/** The control plane's settings (README.md, Settings). */
export const cpSettingsSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
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
  GATEHOUSE_SESSION_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  /** Failed logins allowed per client address and per account within GATEHOUSE_LOGIN_FAILURE_WINDOW; more answer 429. */
  GATEHOUSE_LOGIN_MAX_FAILURES: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(10_000).default(10),
  /** The window, in seconds, over which failed logins are counted (15 minutes). */
  GATEHOUSE_LOGIN_FAILURE_WINDOW: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(86_400).default(900),
  GATEHOUSE_ANALYTICS_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  GATEHOUSE_ANALYTICS_HOUR_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(90),
  // docs/SECURITY.md (Stats a DP reports): requests one node may report per second, averaged over a minute.
  GATEHOUSE_STATS_MAX_NODE_RPS: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(100_000_000).default(50_000),
  GATEHOUSE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Internal, for tests of automatic renewal: validity in days of the certificate inside a launch script (default 180). */
  GATEHOUSE_LAUNCH_SCRIPT_CERT_DAYS: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(3650).optional(),
});
export type CpSettings = z.output<typeof cpSettingsSchema>;

export function loadCpSettings(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): CpSettings {
  return loadSettings(cpSettingsSchema, argv, env);
}
