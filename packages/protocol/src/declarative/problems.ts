import { fieldPath, issuesToFields } from '../errors';

/** A location in a declarative file, as Zod paths are: `['services', 2, 'routes', 0]`. */
export type FilePath = readonly PropertyKey[];

/**
 * Collects what is wrong with a declarative file, keyed by the path to the
 * field (`services[2].routes[0].paths[0]`), first message per field kept, so
 * one bad file reports every bad field at once in the API's `fields` shape.
 */
export class Problems {
  private readonly errors: Record<string, string> = {};
  readonly warnings: string[] = [];

  add(path: FilePath, message: string): void {
    const key = fieldPath(path);
    if (!(key in this.errors)) this.errors[key] = message;
  }

  /** Adds Zod issues found while parsing the entity at `prefix`. */
  addIssues(prefix: FilePath, issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: string[] }[]): void {
    const prefixed = issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
    for (const [key, message] of Object.entries(issuesToFields(prefixed))) {
      if (!(key in this.errors)) this.errors[key] = message;
    }
  }

  warn(path: FilePath, message: string): void {
    this.warnings.push(`${fieldPath(path)}: ${message}`);
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  get fields(): Record<string, string> {
    return { ...this.errors };
  }
}

/** Renders problem fields as one line each: `services[0].host: invalid hostname`. */
export function formatProblems(fields: Record<string, string>): string[] {
  return Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
}
