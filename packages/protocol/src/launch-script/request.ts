import { z } from 'zod';

/** The two kinds of launch script (CONTRACT.md §6): run the installation's own DP build, or its Docker image. */
export const launchScriptKind = z.enum(['shell', 'docker'], { error: 'must be "shell" or "docker"' });
export type LaunchScriptKind = z.infer<typeof launchScriptKind>;

/** Body of `POST /v1/runtime-groups/{rg}/launch-script`. */
export const launchScriptRequest = z.object({ kind: launchScriptKind });
export type LaunchScriptRequest = z.infer<typeof launchScriptRequest>;
