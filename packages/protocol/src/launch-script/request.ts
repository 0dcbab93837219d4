import { z } from 'zod';

/** The two kinds of launch script (docs/DATA-PLANE.md, The launch script): run the installation's own DP build, or its Docker image. */
export const launchScriptKind = z.enum(['shell', 'docker'], { error: 'must be "shell" or "docker"' });
export type LaunchScriptKind = z.infer<typeof launchScriptKind>;

/** Body of `POST /v1/runtime-groups/{rg}/launch-script`. */
export const launchScriptRequest = z.object({ kind: launchScriptKind });
export type LaunchScriptRequest = z.infer<typeof launchScriptRequest>;
