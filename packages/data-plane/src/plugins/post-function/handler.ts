import { serverlessHandler } from '../../lua/serverless-handler';

/** post-function (priority -1000, Kong's): Lua after every other plugin. */
export const postFunctionHandler = serverlessHandler('post-function', -1000);
