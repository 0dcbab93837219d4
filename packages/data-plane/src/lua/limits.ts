/**
 * What one call into Lua (a serverless function's phase, a template's
 * render) may use. A call past either limit is stopped and the request gets
 * Kong's 500; the memory limit comes on top of what the VM holds when the
 * call starts.
 */
export const LUA_LIMITS = {
  /** VM instructions per call (counted in steps of 1,000 by a hook). */
  instructions: 5_000_000,
  /**
   * Wall-clock time per call, in milliseconds: a safety net behind the
   * instruction count, wide enough that a GC pause or a busy machine never
   * fails a short function.
   */
  timeMs: 1000,
  /** Bytes a call may allocate beyond what the VM held when it started. */
  memoryBytes: 16 * 1024 * 1024,
} as const;

/** How often (in VM instructions) the budget hook runs. */
export const HOOK_EVERY = 1000;
