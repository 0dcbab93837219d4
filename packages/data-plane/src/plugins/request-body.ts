/**
 * A request body in a form plugins can edit by field name (Kong's
 * `kong.request.get_body`): JSON objects and urlencoded forms. Other content
 * types (including multipart) are left as bytes.
 */
export type EditableBody = { kind: 'json'; value: Record<string, unknown> } | { kind: 'form'; value: URLSearchParams };

/** The editable form of a body, or null when its type is not JSON/urlencoded or it does not parse. */
export function parseBody(contentType: string | undefined, body: Buffer): EditableBody | null {
  const [mediaType = ''] = (contentType ?? '').split(';');
  const type = mediaType.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { kind: 'form', value: new URLSearchParams(body.toString('utf8')) };
  if (type === 'application/json' || type.endsWith('+json')) {
    if (body.length === 0) return { kind: 'json', value: {} };
    try {
      const v: unknown = JSON.parse(body.toString('utf8'));
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return { kind: 'json', value: v as Record<string, unknown> };
    } catch {
      return null;
    }
  }
  return null;
}

/** The field's value as a string when it is one (form fields: the first value). */
export function bodyField(body: EditableBody, name: string): string | string[] | undefined {
  if (body.kind === 'form') {
    const all = body.value.getAll(name);
    return all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
  }
  const v = body.value[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String);
  return undefined;
}

/** Removes a field. */
export function deleteBodyField(body: EditableBody, name: string): void {
  if (body.kind === 'form') body.value.delete(name);
  else delete body.value[name];
}

/** The bytes of an edited body. */
export function serializeBody(body: EditableBody): Buffer {
  return Buffer.from(body.kind === 'form' ? body.value.toString() : JSON.stringify(body.value));
}
