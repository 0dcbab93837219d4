import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { CliError, EXIT } from './cli-error';
import { OUTPUT_FORMATS } from './output';
import { registerCerts } from './commands/certs';
import { registerDiff } from './commands/diff';
import { registerDump } from './commands/dump';
import { registerLaunchScript } from './commands/launch-script';
import { registerListings } from './commands/list';
import { registerUpstreamHealth } from './commands/upstream-health';
import { registerLogin } from './commands/login';
import { registerSecrets } from './commands/secrets';
import { registerSync } from './commands/sync';
import { registerValidate } from './commands/validate';

/** The CLI's version, from its package.json (dist/ and src/ both sit one level below it). */
function cliVersion(): string {
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
const VERSION = cliVersion();

/** The `gatehouse` command with its global flags (docs/DECLARATIVE.md, The CLI) and every subcommand. */
export function buildProgram(): Command {
  const program = new Command('gatehouse')
    .description('Gatehouse control plane from the command line: declarative config (decK files), listings, certificates')
    .version(VERSION)
    .addOption(new Option('--url <url>', 'control plane URL').env('GATEHOUSE_URL').default('http://localhost:8001'))
    .addOption(new Option('--token <token>', 'API token (session or personal access token)').env('GATEHOUSE_TOKEN'))
    .addOption(new Option('--runtime-group <name>', 'runtime group to work on').default('default'))
    .addOption(new Option('--output <format>', 'output format').choices([...OUTPUT_FORMATS]))
    .showHelpAfterError()
    .exitOverride();
  registerLogin(program);
  registerListings(program);
  registerUpstreamHealth(program);
  registerValidate(program);
  registerDiff(program);
  registerSync(program);
  registerDump(program);
  registerLaunchScript(program);
  registerCerts(program);
  registerSecrets(program);
  return program;
}

/**
 * Runs the CLI and answers its exit code: 0 done, 1 error (printed to
 * stderr), 2 differences found by `diff --exit-code`.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.commands.forEach(function exitOverrideAll(c: Command): void {
    c.exitOverride();
    c.commands.forEach(exitOverrideAll);
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Commander has already printed usage errors; help and version are not errors.
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.ok;
    if (typeof code === 'string' && code.startsWith('commander.')) return EXIT.error;
    if (err instanceof CliError) {
      process.stderr.write(`Error: ${err.message}\n`);
      for (const line of err.details) process.stderr.write(`  ${line}\n`);
      return err.exitCode;
    }
    process.stderr.write(`Error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.error;
  }
}
