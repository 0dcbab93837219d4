import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from '../api/client';
import { check, fieldsUnder, withoutChanged, withPrefix } from './validate';

/** A form's refusals and progress, shared by every dialog that writes through the API. */
export interface SchemaForm {
  /** Why each refused field was refused, keyed as the API names fields (`name`, `route.paths[0]`). */
  fields: Record<string, string>;
  /** The failed request, shown whole (message and fields) by ErrorNotice. */
  error: unknown;
  /** True while the request is on its way. */
  busy: boolean;
  /** Forgets the messages of the fields that changed from `before` to `after` (keys under `prefix`). */
  edited<T extends object>(before: T, after: T, prefix?: string): void;
  /** Forgets every message and the error (a dialog closing or opening again). */
  reset: () => void;
  /** Checks `body` with `schema` alone; refused fields get `prefix`. True when it passes. */
  check(schema: z.ZodType, body: unknown, prefix?: string): boolean;
  /**
   * Checks `body` with `schema` (the one the API applies), then runs `send`
   * with the parsed value. A refusal, here or by the API, fills `fields`; a
   * failed request also fills `error`. True once `send` has succeeded.
   */
  submit<S extends z.ZodType>(schema: S, body: unknown, send: (value: z.output<S>) => Promise<unknown>): Promise<boolean>;
}

interface Options {
  /** The API nests this form's fields under this prefix (`service.` in `{service: …}`): its messages lose it. */
  apiPrefix?: string;
  /** Called with the messages of every refusal (to show the step they are on, say). */
  onRefused?: (fields: Record<string, string>) => void;
}

/**
 * The state of a form that writes through the API: the form says exactly
 * what the API would refuse, next to the field, before sending; and what the
 * API still refuses (a name already taken) shows the same way.
 */
export function useSchemaForm(options: Options = {}): SchemaForm {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });

  const refuse = useCallback((refused: Record<string, string>) => {
    setFields(refused);
    optionsRef.current.onRefused?.(refused);
  }, []);

  const checkOnly = useCallback(
    (schema: z.ZodType, body: unknown, prefix = '') => {
      const checked = check(schema, body);
      if (checked.ok) setFields({});
      else refuse(withPrefix(prefix, checked.fields));
      return checked.ok;
    },
    [refuse],
  );

  const submit = useCallback(
    async <S extends z.ZodType>(schema: S, body: unknown, send: (value: z.output<S>) => Promise<unknown>) => {
      setError(undefined);
      const checked = check(schema, body);
      if (!checked.ok) {
        refuse(checked.fields);
        return false;
      }
      setFields({});
      setBusy(true);
      try {
        await send(checked.value);
        return true;
      } catch (err) {
        const prefix = optionsRef.current.apiPrefix;
        if (err instanceof ApiError) refuse(prefix ? fieldsUnder(err.fields, prefix) : err.fields);
        setError(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [refuse],
  );

  const edited = useCallback(<T extends object>(before: T, after: T, prefix = '') => setFields((f) => withoutChanged(f, before, after, prefix)), []);
  const reset = useCallback(() => {
    setFields({});
    setError(undefined);
  }, []);

  return { fields, error, busy, edited, reset, check: checkOnly, submit };
}
