import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { api, ApiError } from '../api/client';

/** The state of one API read. */
export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Reads again now (after a write, say). */
  reload: () => void;
}

/**
 * Reads `path` from the API with the protocol schema of its answer, again
 * whenever the path changes, and every `pollMs` while the page is open (live
 * sync status and traffic). A failed poll keeps the last good data on screen,
 * next to the error. `path` null reads nothing. The schema is taken as of the
 * latest render; a new schema object alone does not read again.
 */
export function useResource<S extends z.ZodType>(path: string | null, schema: S, pollMs?: number): Resource<z.output<S>> {
  // The last answer with the path it answered: another path's data is never shown.
  const [result, setResult] = useState<{ path: string; value: z.output<S> }>();
  const [error, setError] = useState<ApiError>();
  const [tick, setTick] = useState(0);
  // The read (its key) that finished last: loading is any read since, derived rather than set from the effect.
  const [settled, setSettled] = useState<string>();
  const schemaRef = useRef(schema);
  const key = path === null ? null : `${tick} ${path}`;

  // Declared before the read, so a read always uses the schema of its own render.
  useEffect(() => {
    schemaRef.current = schema;
  });

  useEffect(() => {
    if (path === null || key === null) return;
    const controller = new AbortController();
    api(path, { signal: controller.signal, schema: schemaRef.current })
      .then((value) => {
        setResult({ path, value });
        setError(undefined);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
      })
      .finally(() => {
        if (!controller.signal.aborted) setSettled(key);
      });
    return () => controller.abort();
  }, [path, key]);

  useEffect(() => {
    if (!pollMs || path === null) return;
    const timer = setInterval(() => setTick((t) => t + 1), pollMs);
    return () => clearInterval(timer);
  }, [path, pollMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: result?.path === path ? result.value : undefined, error, loading: key !== null && settled !== key, reload };
}
