import fs from 'node:fs';
import { formatProblems, parseDocumentText, readDeclarative, type DeclarativeInfo, type DeclarativeState } from '@gatehouse/protocol';
import { checkFileTls } from '@gatehouse/protocol/node';
import { CliError } from './cli-error';
import { cliPluginCatalog } from './plugin-catalog';

/** The file options of validate, diff and sync. */
export interface FileOptions {
  file: string;
  selectTag: string[];
  skipUnknownPlugins?: boolean;
}

/** A file that passed validation: the document as written (sent to the CP as is) and what it says. */
export interface LoadedFile {
  document: unknown;
  state: DeclarativeState;
  info: DeclarativeInfo;
  warnings: string[];
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Reads and validates a declarative file offline (`-` reads stdin). A bad
 * file is a CliError listing every wrong field by its path in the file.
 */
export function loadDeclarativeFile(options: FileOptions): LoadedFile {
  const parsed = parseDocumentText(readText(options.file));
  if (!parsed.ok) throw new CliError(`${options.file}: ${parsed.message}`);
  const result = readDeclarative(parsed.document, {
    catalog: cliPluginCatalog,
    selectTags: options.selectTag,
    skipUnknownPlugins: options.skipUnknownPlugins ?? false,
  });
  // Certificates' PEM and keys, CA certificates: what only node:crypto checks, as the CP will.
  const problems = result.ok ? checkFileTls(result.state).problems : result.fields;
  if (!result.ok || Object.keys(problems).length > 0) {
    const details = formatProblems(problems);
    throw new CliError(`${options.file} is invalid (${details.length} ${details.length === 1 ? 'error' : 'errors'}):`, [
      ...details,
      ...result.warnings.map((w) => `warning: ${w}`),
    ]);
  }
  return { document: parsed.document, state: result.state, info: result.info, warnings: result.warnings };
}

/** Collects a repeatable option's values (`--select-tag a --select-tag b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
