import { multipartField, multipartWithout, parseMultipart } from './multipart';

const TYPE = 'multipart/form-data; boundary=XyZ';
const part = (name: string, value: string, extra = ''): string => `--XyZ\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;

describe('multipart/form-data for key_in_body', () => {
  it('reads fields by name, a name in two parts as both', () => {
    const body = parseMultipart(TYPE, Buffer.from(`${part('apikey', 'k1')}${part('other', 'a\r\nb')}${part('dup', '1')}${part('dup', '2')}--XyZ--\r\n`));
    expect(body).not.toBeNull();
    expect(multipartField(body!, 'apikey')).toBe('k1');
    expect(multipartField(body!, 'other')).toBe('a\r\nb');
    expect(multipartField(body!, 'dup')).toEqual(['1', '2']);
    expect(multipartField(body!, 'missing')).toBeUndefined();
  });

  it('removes one field and keeps every other byte, preamble and epilogue included', () => {
    const rest = `${part('other', 'x')}${part('file', 'bytes', '; filename="a.txt"\r\nContent-Type: text/plain')}`;
    for (const [head, tail] of [
      ['', ''],
      ['preamble\r\n', '\r\nepilogue'],
      ['\r\n', ''],
    ]) {
      const text = `${head}${part('apikey', 'k1')}${rest}--XyZ--${tail}`;
      const body = parseMultipart('multipart/form-data; boundary="XyZ"', Buffer.from(text))!;
      expect(multipartWithout(body, 'apikey').toString()).toBe(`${head}${rest}--XyZ--${tail}`);
      expect(multipartWithout(body, 'none').toString()).toBe(text);
    }
  });

  it('is null for other types, a missing boundary or a body that does not parse', () => {
    expect(parseMultipart('application/json', Buffer.from('{}'))).toBeNull();
    expect(parseMultipart('multipart/form-data', Buffer.from(part('a', 'b')))).toBeNull();
    expect(parseMultipart(TYPE, Buffer.from(part('a', 'b')))).toBeNull(); // never closed
    expect(parseMultipart(TYPE, Buffer.from('--XyZ\r\nno blank line--XyZ--'))).toBeNull();
  });
});
