import { serverlessHandler } from '../../lua/serverless-handler';

/** pre-function (priority 1000000, Kong's): Lua before every other plugin. */
export const preFunctionHandler = serverlessHandler('pre-function', 1000000);
