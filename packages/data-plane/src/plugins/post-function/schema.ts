import type { z } from 'zod';
import type { PluginSchema } from '../types';
import { NO_CONSUMER } from '../typedefs';
import { serverlessConfig } from '../../lua/serverless-schema';

const config = serverlessConfig('post-function');

/** post-function: Lua run last in each phase (Kong's serverless-functions); it cannot be scoped to a consumer. */
export const postFunctionSchema = { name: 'post-function', config, scopes: NO_CONSUMER } satisfies PluginSchema;
export type PostFunctionConfig = z.output<typeof config>;
