import type Redis from 'ioredis';
import type { Usage } from './local-counters';

/**
 * Check-and-count in one atomic step on the Redis server, so every data plane
 * of a group shares one count per window and two DPs can never both take the
 * last unit. KEYS: one counter per period; ARGV: the limits, then each key's
 * expiry in seconds. Answers 1 (allowed and counted) or 0, then each count
 * before this request.
 */
const TAKE_SCRIPT = `
local n = #KEYS
local counts = {}
local allowed = 1
for i = 1, n do
  local c = tonumber(redis.call('GET', KEYS[i]) or '0')
  counts[i] = c
  if c >= tonumber(ARGV[i]) then allowed = 0 end
end
if allowed == 1 then
  for i = 1, n do
    if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[n + i]) end
  end
end
return {allowed, unpack(counts)}
`;

interface TakeCommand {
  gatehouseRateTake(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
}

/** Registers the script on a client once (ioredis then uses EVALSHA, falling back to EVAL). */
function withScript(client: Redis): Redis & TakeCommand {
  const c = client as Redis & Partial<TakeCommand>;
  if (typeof c.gatehouseRateTake !== 'function') c.defineCommand('gatehouseRateTake', { lua: TAKE_SCRIPT });
  return c as Redis & TakeCommand;
}

/**
 * The `redis` policy: counters named as Kong names them,
 * `ratelimit:<route>:<service>:<identifier>:<window start ms>:<period>`.
 */
export async function takeFromRedis(client: Redis, keys: readonly string[], limits: readonly number[], ttls: readonly number[]): Promise<Usage> {
  const reply = await withScript(client).gatehouseRateTake(keys.length, ...keys, ...limits, ...ttls);
  return { allowed: reply[0] === 1, counts: reply.slice(1).map(Number) };
}
