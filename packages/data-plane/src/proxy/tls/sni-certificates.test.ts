import { sniCandidates } from './sni-certificates';

describe("SNI lookup names (Kong's produce_wild_snis)", () => {
  it.each([
    ['api.example.com', ['api.example.com', '*.example.com', 'api.example.*']],
    ['a.api.example.com', ['a.api.example.com', '*.api.example.com', 'a.api.example.*']],
    ['example.com', ['example.com', 'example.*']],
    ['Example.COM', ['example.com', 'example.*']],
    ['localhost', ['localhost']],
  ])('%s is looked up as %p', (name, expected) => {
    expect(sniCandidates(name)).toEqual(expected);
  });
});
