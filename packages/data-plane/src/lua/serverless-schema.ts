import { z } from 'zod';
import { checkLua } from './static-check';
import { FUNCTION_SURFACE } from './surface';

/** Kong's phases of `pre-function` / `post-function`, in Kong's order. */
export const SERVERLESS_PHASES = ['certificate', 'rewrite', 'access', 'header_filter', 'body_filter', 'log'] as const;

/** The phases a Gatehouse DP runs Lua in; code for the others is refused at validation. */
export const SUPPORTED_SERVERLESS_PHASES = ['access', 'header_filter', 'log'] as const;

export type SupportedServerlessPhase = (typeof SUPPORTED_SERVERLESS_PHASES)[number];

const phaseFunctions = z.array(z.string()).default([]);

/**
 * The config schema of `pre-function` / `post-function` (Kong's
 * kong/plugins/pre-function/_schema.lua): one array of Lua sources per
 * phase, at least one non-empty. Every source is parsed and checked against
 * the sandbox's surface (static-check.ts), so code the DP could not run is a
 * 400 naming `config.<phase>[i]`; so is code for a phase the DP does not run.
 */
export function serverlessConfig(pluginName: string) {
  return z
    .object(Object.fromEntries(SERVERLESS_PHASES.map((p) => [p, phaseFunctions])) as Record<(typeof SERVERLESS_PHASES)[number], typeof phaseFunctions>)
    .strict()
    .superRefine((c, ctx) => {
      if (SERVERLESS_PHASES.every((p) => c[p].length === 0)) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `at least one of these fields must be non-empty: ${SERVERLESS_PHASES.map((p) => `'config.${p}'`).join(', ')}`,
        });
      }
      for (const phase of SERVERLESS_PHASES) {
        const sources = c[phase];
        if (sources.length === 0) continue;
        if (!(SUPPORTED_SERVERLESS_PHASES as readonly string[]).includes(phase)) {
          ctx.addIssue({
            code: 'custom',
            path: [phase],
            message: `the ${phase} phase is not supported by Gatehouse (supported: ${SUPPORTED_SERVERLESS_PHASES.join(', ')})`,
          });
          continue;
        }
        sources.forEach((source, i) => {
          const problem = checkLua(source, FUNCTION_SURFACE);
          if (problem !== null) ctx.addIssue({ code: 'custom', path: [phase, i], message: `error parsing ${pluginName}: ${problem}` });
        });
      }
    });
}

export type ServerlessConfig = z.output<ReturnType<typeof serverlessConfig>>;
