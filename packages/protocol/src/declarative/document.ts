import YAML from 'yaml';

/** The outcome of reading a file's text: the document, or why it is not YAML/JSON. */
export type DocumentText = { ok: true; document: unknown } | { ok: false; message: string };

/**
 * Parses a declarative file's text. JSON is YAML 1.2, so one parser reads
 * both; duplicate keys are errors (a later one would silently win otherwise).
 * The message of a syntax error names its line and column.
 */
export function parseDocumentText(text: string): DocumentText {
  try {
    const document: unknown = YAML.parse(text, { uniqueKeys: true, prettyErrors: true, maxAliasCount: 1000 });
    return { ok: true, document };
  } catch (err) {
    const e = err as Error & { linePos?: { line: number; col: number }[] };
    const pos = e.linePos?.[0];
    const first = e.message.split('\n')[0] ?? e.message;
    const where = pos && !/line \d+/.test(first) ? `line ${pos.line}, column ${pos.col}: ` : '';
    return { ok: false, message: `not valid YAML or JSON: ${where}${first}` };
  }
}

/** Serializes a document as a file: YAML (the default of decK dumps) or JSON, both ending in a newline. */
export function stringifyDocument(document: unknown, format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  return YAML.stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
