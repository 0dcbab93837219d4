import type { Command } from 'commander';
import { currentUser, loginAnswer } from '@gatehouse/protocol';
import { CliError } from '../cli-error';
import { ApiClient } from '../client';
import { saveToken } from '../credentials';
import { ask, readStdin } from '../prompt';
import { sessionOf } from '../session';

interface LoginOptions {
  email?: string;
  password?: string;
  passwordStdin?: boolean;
}

async function credentials(opts: LoginOptions): Promise<{ email: string; password: string }> {
  const interactive = process.stdin.isTTY;
  const email = opts.email ?? process.env.GATEHOUSE_EMAIL ?? (interactive ? (await ask('Email: ')).trim() : undefined);
  let password = opts.password ?? process.env.GATEHOUSE_PASSWORD;
  if (password === undefined && opts.passwordStdin) password = await readStdin();
  if (password === undefined && interactive) password = await ask('Password: ', true);
  if (!email || !password)
    throw new CliError('login needs an email and a password: pass --email and --password (or --password-stdin), or run it in a terminal');
  return { email, password };
}

/**
 * `gatehouse login`: signs in with email and password (flags, environment or
 * prompts) and saves the session token for this control-plane URL, mode 0600.
 * With `--token` (a personal access token) it checks and saves that instead.
 */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('sign in and save the token for this control plane')
    .option('--email <email>', 'account email (GATEHOUSE_EMAIL)')
    .option('--password <password>', 'password (GATEHOUSE_PASSWORD); prompted for when omitted in a terminal')
    .option('--password-stdin', 'read the password from stdin')
    .action(async (opts: LoginOptions, cmd: Command) => {
      const { options } = sessionOf(cmd);
      if (options.token) {
        const me = currentUser.parse(await new ApiClient(options.url, options.token).request('GET', '/me'));
        const file = saveToken(options.url, { token: options.token, email: me.email });
        process.stdout.write(`token for ${options.url} (${me.email}) saved in ${file}\n`);
        return;
      }
      const { email, password } = await credentials(opts);
      const answer = loginAnswer.parse(await new ApiClient(options.url, undefined).request('POST', '/auth/login', { body: { email, password } }));
      const file = saveToken(options.url, { token: answer.token, email, expires_at: answer.expires_at });
      process.stdout.write(`logged in to ${options.url} as ${email}; token saved in ${file}\n`);
    });
}
