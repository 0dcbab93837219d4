import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeAbandonedTemporariesSync, writeFileDurableSync } from '@gatehouse/protocol/node';

/** One saved login, per control-plane URL. */
export interface SavedToken {
  token: string;
  /** ISO time the token stops working; absent for personal access tokens without expiry. */
  expires_at?: string;
  email?: string;
}

interface CredentialsFile {
  tokens: Record<string, SavedToken>;
}

/**
 * Where `gatehouse login` keeps tokens: `$GATEHOUSE_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/gatehouse`, else `~/.config/gatehouse`.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GATEHOUSE_CONFIG_DIR) return env.GATEHOUSE_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'gatehouse');
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'credentials.json');
}

// URLs differ in trailing slashes and case of the host; tokens are saved under one form.
function urlKey(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.replace(/\/+$/, '');
  }
}

function readFile(file: string): CredentialsFile {
  try {
    // Whatever the file holds (a hand edit, an older format), only an object of tokens is taken.
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const tokens = typeof parsed === 'object' && parsed !== null ? (parsed as { tokens?: unknown }).tokens : undefined;
    return { tokens: typeof tokens === 'object' && tokens !== null ? (tokens as CredentialsFile['tokens']) : {} };
  } catch {
    return { tokens: {} };
  }
}

/** The token saved for a control plane, if any. */
export function loadToken(url: string, env: NodeJS.ProcessEnv = process.env): SavedToken | undefined {
  return readFile(credentialsPath(env)).tokens[urlKey(url)];
}

/**
 * Saves a token for a control plane. The file is only ever readable by its
 * owner (mode 0600 from the moment it exists, directory 0700), and is
 * replaced durably, so neither a crash nor a power cut leaves half a file or
 * loses the saved logins. Answers the file's path.
 */
export function saveToken(url: string, saved: SavedToken, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const content = readFile(file);
  content.tokens[urlKey(url)] = saved;
  writeFileDurableSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  // A login killed mid-save left a copy of the tokens; another gatehouse may be saving right now, hence only abandoned ones.
  removeAbandonedTemporariesSync(file);
  return file;
}
