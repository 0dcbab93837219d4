import { describeFailure } from './start-failure';

describe('describeFailure', () => {
  it('gives an Error its message, with its causes', () => {
    expect(describeFailure(new Error('cannot listen', { cause: new Error('EADDRINUSE 127.0.0.1:8001') }))).toBe('cannot listen: EADDRINUSE 127.0.0.1:8001');
  });

  it('names a promise rejected with nothing instead of failing on it', () => {
    expect(describeFailure(undefined)).toBe('an unknown error (undefined was thrown)');
    expect(describeFailure(null)).toBe('an unknown error (null was thrown)');
  });

  it('prints strings, objects and other values on one line', () => {
    expect(describeFailure('postgres\nwent away')).toBe('postgres went away');
    expect(describeFailure({ code: 'E42' })).toBe('{"code":"E42"}');
    expect(describeFailure(42)).toBe('42');
    expect(describeFailure(Object.create(null))).toBe('[object Object]');
    expect(describeFailure(new TypeError(''))).toBe('TypeError');
  });
});
