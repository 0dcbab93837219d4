/**
 * Just enough of `multipart/form-data` for key-auth's `key_in_body` (Kong
 * reads such bodies too): the fields by name, and the body without one field,
 * every other part kept byte for byte.
 */
export interface MultipartBody {
  kind: 'multipart';
  /** The bytes before the first delimiter (a preamble), and whether there were none. */
  head: Buffer;
  bare: boolean;
  /** The closing delimiter and what follows it. */
  tail: Buffer;
  delimiter: Buffer;
  parts: { name: string | null; value: Buffer; raw: Buffer }[];
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2] ?? null;
}

function nameOf(headers: string): string | null {
  for (const line of headers.split('\r\n')) {
    if (!/^content-disposition\s*:/i.test(line)) continue;
    const m = /;\s*name=(?:"([^"]*)"|([^;\s]+))/i.exec(line);
    return m?.[1] ?? m?.[2] ?? null;
  }
  return null;
}

/** The parts of a multipart body, or null when the content type is not multipart/form-data or the body does not parse. */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartBody | null {
  const [mediaType = ''] = (contentType ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'multipart/form-data') return null;
  const boundary = boundaryOf(contentType ?? '');
  if (boundary === null) return null;
  // With a CRLF in front, every delimiter (the first one too) is CRLF "--" boundary.
  const buf = Buffer.concat([CRLF, body]);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const starts: number[] = [];
  for (let at = buf.indexOf(delimiter); at !== -1; at = buf.indexOf(delimiter, at + delimiter.length)) starts.push(at);
  if (starts.length < 2) return null;
  const parts: MultipartBody['parts'] = [];
  for (let k = 0; k + 1 < starts.length; k++) {
    const raw = buf.subarray((starts[k] ?? 0) + delimiter.length, starts[k + 1]);
    if (!raw.subarray(0, 2).equals(CRLF)) return null;
    const end = raw.indexOf(HEADERS_END);
    if (end === -1) return null;
    parts.push({ name: nameOf(raw.subarray(2, end).toString('latin1')), value: raw.subarray(end + HEADERS_END.length), raw });
  }
  const last = starts[starts.length - 1] ?? 0;
  if (!buf.subarray(last + delimiter.length, last + delimiter.length + 2).equals(Buffer.from('--'))) return null;
  const first = starts[0] ?? 0;
  const bare = first === 0;
  return { kind: 'multipart', head: bare ? Buffer.alloc(0) : buf.subarray(CRLF.length, first), bare, tail: buf.subarray(last), delimiter, parts };
}

/** A field's value; a name given in several parts answers them all. */
export function multipartField(body: MultipartBody, name: string): string | string[] | undefined {
  const values = body.parts.filter((p) => p.name === name).map((p) => p.value.toString('utf8'));
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

/** The body without the parts of `name`; every other byte as it was. */
export function multipartWithout(body: MultipartBody, name: string): Buffer {
  const kept = body.parts.filter((p) => p.name !== name).flatMap((p) => [body.delimiter, p.raw]);
  const joined = Buffer.concat([body.head, ...kept, body.tail]);
  // A body that began with its first delimiter had no CRLF before it: drop the one the delimiter carries.
  return body.bare ? joined.subarray(CRLF.length) : joined;
}
