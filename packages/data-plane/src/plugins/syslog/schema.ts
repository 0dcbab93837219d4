import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';
import { customFieldsByLua, hostField, oneOf, portField } from '../log-serializer/fields';

/** Syslog severities, Kong's names, by their RFC 5424 code. */
export const SEVERITIES = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

/** Syslog facilities Kong allows, by their RFC 5424 code. */
export const FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;

const severity = oneOf(['debug', 'info', 'notice', 'warning', 'err', 'crit', 'alert', 'emerg']).default('info');

const config = z
  .object({
    log_level: severity,
    successful_severity: severity,
    client_errors_severity: severity,
    server_errors_severity: severity,
    facility: oneOf(Object.keys(FACILITIES) as [keyof typeof FACILITIES, ...(keyof typeof FACILITIES)[]]).default('user'),
    custom_fields_by_lua: customFieldsByLua,
    // Gatehouse only: where the RFC 3164 datagrams go (Kong writes to the host's syslog(3) socket).
    syslog_host: hostField.default('127.0.0.1'),
    syslog_port: portField.default(514),
  })
  .strict();

/** syslog: Kong's log entries to a syslog daemon, with a severity by response class. */
export const syslogSchema = { name: 'syslog', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type SyslogConfig = z.output<typeof config>;
