import type { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER } from '../typedefs';
import { serverlessConfig } from '../../lua/serverless-schema';

const config = serverlessConfig('pre-function');

/** pre-function: Lua run first in each phase (Kong's serverless-functions); it cannot be scoped to a consumer. */
export const preFunctionSchema = { name: 'pre-function', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type PreFunctionConfig = z.output<typeof config>;
