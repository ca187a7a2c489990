/**
 * What each of src/'s stores costs to install and run beyond the code
 * itself, for the grading table: the packages its module imports, whether
 * one compiles native code, and what has to run or be shared beside it.
 * Stated for src/'s stores only (the target named in `SRC_TARGET_NAME`);
 * another target's stores are "not stated". store-dependencies.test.ts
 * checks the packages against each store's imports and node_modules, so
 * this cannot silently drift from the code.
 */
export interface DependencyCost {
  /** npm packages the store's module imports (not node: built-ins). */
  packages: readonly string[];
  /** A package compiles native code when no prebuilt binary can be fetched. */
  native: boolean;
  /** What the cost is, in words for the report. */
  summary: string;
}

export const SRC_TARGET_NAME = 'jira-mcp (src/)';

export const SRC_STORE_DEPENDENCIES: Readonly<Record<string, DependencyCost>> = {
  memory: { packages: [], native: false, summary: 'none (a static Map)' },
  'json-file': { packages: [], native: false, summary: 'none (node:fs)' },
  'atomic-file': {
    packages: ['proper-lockfile', 'write-file-atomic'],
    native: false,
    summary: 'proper-lockfile + write-file-atomic: pure JavaScript, nothing to compile',
  },
  sqlite: {
    packages: ['better-sqlite3'],
    native: true,
    summary:
      'better-sqlite3: a native addon; `npm ci` fetches a prebuilt binary for the platform and Node ABI, and where none can be fetched (offline, musl, a new Node) compiles SQLite from source (python3, make, a C++ compiler)',
  },
  redis: { packages: ['ioredis'], native: false, summary: 'ioredis (pure JavaScript) + a Redis server to run, secure and reach from every host' },
  'sealed-state': {
    packages: ['zod'],
    native: false,
    summary: 'node:crypto, and zod (pure JavaScript, already used by src/ and the MCP SDK) for its token relay + a key shared by every process (SESSION_SEAL_KEY) to distribute and rotate',
  },
};

export function dependencyCostOf(target: string | undefined, store: string): string {
  if (target !== SRC_TARGET_NAME) return 'not stated (not one of src/\'s stores)';
  return SRC_STORE_DEPENDENCIES[store]?.summary ?? 'not stated';
}
