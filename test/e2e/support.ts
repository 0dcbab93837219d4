import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '../support/api';
import { query } from '../support/database';
import { freePort, startCommand, startNode, tempDir, type TestProcess } from '../support/processes';

/** Polls `check` (sync or async) every 100 ms until it answers a truthy value; fails after `timeoutMs` with the last answer. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${describe(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Errors from fetch come from another realm under jest, so `instanceof Error` is not enough.
function describe(value: unknown): string {
  if (value && typeof value === 'object' && 'message' in value) {
    const cause = (value as { cause?: { message?: string } }).cause?.message;
    return `${String(value.message)}${cause ? ` (${cause})` : ''}`;
  }
  return JSON.stringify(value);
}

/** Resolves with the first `event` logged by `proc` AFTER this call (earlier lines are skipped). */
export function nextEvent(proc: TestProcess, event: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const from = proc.lines.length;
  return waitFor(
    `"${event}" from the process`,
    () => {
      for (const line of proc.lines.slice(from)) {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (parsed.event === event) return parsed;
        } catch {
          // not a JSON log line
        }
      }
      return undefined;
    },
    timeoutMs,
  );
}

/** The echo upstream as its own process. */
export async function startEcho(): Promise<TestProcess & { url: string }> {
  const port = await freePort();
  const proc = startNode('packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${port}` });
  await proc.waitForEvent('echo_listening', 15_000);
  return { ...proc, url: `http://127.0.0.1:${port}` };
}

/** Creates the walkthrough's example_service → v1 (default) → example_gateway_service + route `mockbin` GET /mock. */
export async function implementExample(api: Client, upstreamUrl: string): Promise<{ serviceId: string; routeId: string }> {
  const group = await api.ok('GET', '/v1/runtime-groups/default');
  const hub = await api.ok('POST', '/v1/service-hub/services', { name: 'example_service' });
  const version = await api.ok('POST', `/v1/service-hub/services/${hub.id}/versions`, { name: 'v1', runtime_group_id: group.id });
  await api.ok('POST', `/v1/service-hub/services/${hub.id}/versions/${version.id}/implementation`, {
    service: { name: 'example_gateway_service', url: upstreamUrl },
    route: { name: 'mockbin', methods: ['GET'], paths: ['/mock'] },
  });
  const route = await api.ok('GET', '/v1/runtime-groups/default/routes/mockbin');
  return { serviceId: route.service.id as string, routeId: route.id as string };
}

/** A data plane started by running a launch script with bash. */
export interface ScriptedDataPlane extends TestProcess {
  proxyUrl: string;
  statusUrl: string;
  dpDir: string;
  scriptFile: string;
  /** The node id the DP keeps in its DP dir. */
  nodeId(): string;
  /** Stops the DP and removes its DP dir and script. */
  remove(): Promise<void>;
}

/**
 * Runs a launch script with bash, as a person pasting it would, with
 * GATEHOUSE_* variables set in the environment (they win over the script's
 * own): a DP dir and proxy/status ports of the test's choosing.
 */
export async function runLaunchScript(
  script: string,
  opts: { dpDir?: string; proxyPort?: number; statusPort?: number; env?: Record<string, string> } = {},
): Promise<ScriptedDataPlane> {
  const dpDir = opts.dpDir ?? tempDir('gatehouse-e2e-dp-');
  const scriptFile = path.join(tempDir('gatehouse-e2e-script-'), 'launch.sh');
  fs.writeFileSync(scriptFile, script, { mode: 0o700 });
  const proxyPort = opts.proxyPort ?? (await freePort());
  const statusPort = opts.statusPort ?? (await freePort());
  const proc = startCommand(
    'bash',
    [scriptFile],
    {
      GATEHOUSE_DP_DIR: dpDir,
      GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
      GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${statusPort}`,
      ...opts.env,
    },
    'launch script',
  );
  await proc.waitForEvent('dp_ready', 30_000);
  return {
    ...proc,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    statusUrl: `http://127.0.0.1:${statusPort}`,
    dpDir,
    scriptFile,
    nodeId: () => fs.readFileSync(path.join(dpDir, 'node_id'), 'utf8').trim(),
    async remove() {
      await proc.stop();
      fs.rmSync(dpDir, { recursive: true, force: true });
      fs.rmSync(path.dirname(scriptFile), { recursive: true, force: true });
    },
  };
}

/** Marks a group's config as changed the way every API write does (bump + NOTIFY), for rows written directly. */
export async function touchConfig(databaseUrl: string, runtimeGroupId: string): Promise<void> {
  await query(databaseUrl, 'UPDATE runtime_groups SET config_version = config_version + 1 WHERE id = $1::uuid', [runtimeGroupId]);
  await query(databaseUrl, "SELECT pg_notify('gatehouse_config', $1)", [runtimeGroupId]);
}
