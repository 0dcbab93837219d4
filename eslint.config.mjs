// ESLint for the whole repository: `npm run lint` (zero warnings allowed).
// TypeScript gets typescript-eslint's strict and stylistic type-checked rule
// sets; the plain CommonJS scripts get ESLint's recommended rules; Prettier
// owns formatting, so eslint-config-prettier comes last and turns off every
// rule that would fight it.
//
// `npm test` runs `npm run typecheck` and `npm run lint` (this, then
// `prettier --check`) before jest, so a finding fails the build.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/coverage/',
    // Prisma's generated client.
    'packages/control-plane/src/generated/',
    'test-results/',
    'tmp/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  {
    name: 'gatehouse/typescript',
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        // An explicit list rather than `projectService`: unit tests
        // (packages/*/src/**/*.test.ts) are excluded from their package's
        // tsconfig (it builds dist/) and type-checked by test/tsconfig.json,
        // which the project service, looking for the nearest tsconfig.json,
        // would never pick for them. Each file is linted with the first
        // program here that includes it.
        project: [
          'packages/protocol/tsconfig.json',
          'packages/data-plane/tsconfig.json',
          'packages/control-plane/tsconfig.json',
          'packages/echo/tsconfig.json',
          'packages/cli/tsconfig.json',
          'packages/ui/tsconfig.json',
          'test/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers and booleans read fine in messages and log lines; objects,
      // null/undefined and unions with them stay errors (they print badly).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `return next()` / `return reply(...)` as an early exit from a void
      // function, and `() => res.end()` callbacks, are this codebase's idiom
      // (Express handlers above all); the rule's fixer would turn each into
      // `{ next(); return; }`. A void value used as a value is caught by the
      // type checker anyway (`void` is assignable to almost nothing).
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Kept on together with no-non-null-assertion on purpose: this one
      // reports `x as T` casts that only drop null/undefined (`row[i] as
      // string`), that one reports the `x!` it suggests instead, so source
      // has to narrow (a check, `for…of`, `.entries()`) rather than assert.
      '@typescript-eslint/non-nullable-type-assertion-style': 'error',
      // `const { id: _id, ...rest } = body` is how a handler drops fields it
      // must not take from a client; `_`-named parameters are the ones an
      // interface forces (tsc's noUnusedParameters follows the same rule).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Header and query objects (Node's IncomingHttpHeaders, parsed JSON
      // bodies, process.env copies) are dictionaries by their APIs, and
      // deleting a key is how a header or field is removed from them.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // `display_name || name`: an empty string means "not set" in this API's
      // data, so `||` on strings is meant; `??` stays required for the rest.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    },
  },

  {
    name: 'gatehouse/tests',
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // In a test, a wrong `x!` fails the test with a TypeError at that line,
      // which is what an explicit check would do, only wordier.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Jest's asymmetric matchers (expect.any, expect.objectContaining, …)
      // are typed `any`, and they are meant to sit inside expected values.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // HTTP answers in tests (supertest's `body`, fetch's `json()`) are `any`
      // by those libraries' types; a test reads them only to assert on them,
      // and typing each would restate the protocol schemas the product
      // already checks. Writing `any` in a test stays an error (no-explicit-any).
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `afterAll(() => cp?.stop())` guards a variable that a failed
      // beforeAll left unset, which `let cp: TestCp;` cannot express.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },

  {
    name: 'gatehouse/ui',
    files: ['packages/ui/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    languageOptions: { globals: globals.browser },
  },

  {
    name: 'gatehouse/scripts',
    // Plain CommonJS run by node directly (scripts, the CLI launcher, the
    // fault tests' child processes, jest configs): no types to check them
    // with, so ESLint's recommended rules only.
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }] },
  },
  {
    name: 'gatehouse/eslint-config',
    files: ['eslint.config.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },

  prettier,
);
