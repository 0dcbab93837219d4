import { isJson } from './is-json';

describe('response-transformer isJson', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/problem+json', true],
    ['application/vnd.api+json;q=1', true],
    ['text/plain, application/json', true],
    ['application/xml', false],
    ['text/json', false],
    ['application/jsonx', true],
    [undefined, false],
  ])('%s → %s', (value, expected) => {
    expect(isJson(value)).toBe(expected);
  });

  it('answers a long header of repeated "application/" (which made the old regex quadratic)', () => {
    const hostile = 'application/'.repeat(50_000) + 'x';
    expect(isJson(hostile)).toBe(false);
  });
});
