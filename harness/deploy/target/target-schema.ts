/**
 * Checks a target file's default export before anything starts, so that a
 * missing or misspelled field is one clear line naming it, not a crash deep
 * in a deployment. Unknown fields are refused too: a typo must not pass as
 * an optional field left out.
 */
import { z } from 'zod';
import { STORE_REACHES } from '../../core/store-profile.ts';
import { PROVIDER_NAMES } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';

const regex = z.instanceof(RegExp, { message: 'expected a RegExp (e.g. /Signed in/)' });
const nonEmpty = z.string().min(1, 'expected a non-empty string');

const processCommand = {
  command: nonEmpty,
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
};

/** A process of the target: `command` may be left out when `launch` is given (checked below, where `launch` is in view). */
const targetProcess = { ...processCommand, command: nonEmpty.optional() };

const factoryLaunch = z
  .object({
    factory: nonEmpty,
    export: nonEmpty.optional(),
    config: z
      .union([z.function(), z.record(z.string(), z.unknown())], { errorMap: () => ({ message: 'expected an object, or a function of input returning one' }) })
      .optional(),
  })
  .strict();

const ROLES = ['tool', 'callback', 'both'] as const;

const storesSchema = z
  .record(z.string(), z.object({ reach: z.enum(STORE_REACHES), needsRedis: z.boolean().optional(), needs: z.array(z.string()).optional() }).strict())
  .refine((stores) => Object.keys(stores).length > 0, 'expected at least one store');

const readiness = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), stream: z.enum(['stdout', 'stderr']), service: nonEmpty }).strict(),
  z.object({ kind: z.literal('log-line'), stream: z.enum(['stdout', 'stderr']), pattern: regex }).strict(),
  z.object({ kind: z.literal('http'), path: z.string().startsWith('/', 'expected a path starting with /') }).strict(),
  z.object({ kind: z.literal('mcp-initialize') }).strict(),
]);

/** A remote server (remote-target-file.ts): Streamable HTTP with MCP authorization, run as replicas behind a balancer. */
export const remoteServerSchema = z
  .object({
    command: nonEmpty,
    args: z.array(z.string()).optional(),
    env: z.function(),
    ready: z.union([readiness, z.array(readiness).min(1, 'expected at least one readiness')]),
    listeners: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase name (letters, digits, "-")'))
      .min(1, 'expected at least one listener, the MCP endpoint\'s first')
      .refine((names) => new Set(names).size === names.length, 'expected names that differ')
      .optional(),
    mcpPath: z.string().startsWith('/', 'expected a path starting with /').optional(),
    publicUrl: z.enum(['from-env', 'own-port']),
    oauth: z.discriminatedUnion('role', [
      z.object({ role: z.literal('proxy'), providerCallbackPath: z.string().startsWith('/', 'expected a path starting with /') }).strict(),
      z.object({ role: z.literal('authorization-server') }).strict(),
      z.object({ role: z.literal('resource') }).strict(),
    ]),
    toolCall: z.object({ name: nonEmpty, arguments: z.record(z.string(), z.unknown()).optional() }).strict(),
  })
  .strict()
  .superRefine((remote, ctx) => {
    if (remote.oauth.role === 'resource' && remote.publicUrl === 'own-port') {
      ctx.addIssue({ code: 'custom', path: ['oauth', 'role'], message: "a resource server's replicas call the run's authorization server on this machine's loopback, which an own-port replica (in a network namespace of its own) cannot reach: use publicUrl 'from-env'" });
    }
    const ready = Array.isArray(remote.ready) ? remote.ready : [remote.ready];
    ready.forEach((readiness, i) => {
      const at = Array.isArray(remote.ready) ? ['ready', i] : ['ready'];
      if (readiness.kind === 'mcp-initialize') ctx.addIssue({ code: 'custom', path: at, message: "'mcp-initialize' is for a stdio tool process; a remote server says it is ready with json, log-line or http" });
      if (readiness.kind === 'http' && remote.publicUrl === 'own-port') {
        ctx.addIssue({ code: 'custom', path: at, message: "http readiness polls this machine's loopback, where an own-port replica (in a network namespace of its own) does not listen: use json or log-line" });
      }
    });
  });

const locator = z.union([z.object({ field: nonEmpty }).strict(), z.object({ pattern: regex }).strict()]);

const targetFileFields = z
  .object({
    name: nonEmpty,
    cwd: z.string().optional(),
    build: z.object(processCommand).strict().optional(),
    launch: factoryLaunch.optional(),
    tool: z.object({ ...targetProcess, ready: readiness.optional() }).strict().optional(),
    callback: z.object({ ...targetProcess, ready: readiness }).strict(),
    both: z.object({ ...targetProcess, ready: readiness }).strict(),
    port: z.enum(['announced', 'assigned']),
    callbackPath: z.string().startsWith('/', 'expected a path starting with /').optional(),
    healthPath: z.string().startsWith('/').nullable().optional(),
    env: z.function(),
    providerHosts: z.enum(['hard-coded', 'from-env']),
    provider: z.enum(PROVIDER_NAMES).optional(),
    runtime: z.enum(['node', 'other']),
    startFlow: z.object({ tool: nonEmpty, args: z.record(z.string(), z.unknown()).optional(), authorizeUrl: locator }).strict(),
    callbackPage: z.object({ success: regex, invalidState: regex, failure: regex.optional(), refused: z.record(z.string(), regex).optional() }).strict(),
    tokenTool: z.object({ tool: nonEmpty, identity: locator }).strict().optional(),
    statusTool: z.object({ tool: nonEmpty, storeField: nonEmpty }).strict().optional(),
    stores: storesSchema,
    defaultStore: z.string().optional(),
    stdoutMayCarryNonMcp: z.boolean().optional(),
    storeModule: z.string().optional(),
    claimStores: z.object({ memory: z.string().optional(), file: z.string().optional() }).strict().optional(),
    remote: remoteServerSchema.optional(),
  })
  .strict();

/** Every field a target file may have: a module whose exports hold none of them was not meant as a target. */
export const TARGET_FILE_FIELDS: readonly string[] = Object.keys(targetFileFields.shape);

export const targetFileSchema = targetFileFields.superRefine((target, ctx) => {
  if (!target.launch) {
    // Without a factory module to launch, every process needs its own command.
    const why = "Required: the process's executable (or give launch: { factory } to run a factory module through the harness's launcher)";
    if (!target.tool) ctx.addIssue({ code: 'custom', path: ['tool'], message: `Required: the MCP server over stdio, { command, args } (or give launch: { factory } to run a factory module through the harness's launcher)` });
    for (const role of ROLES) {
      if (target[role] && target[role].command === undefined) ctx.addIssue({ code: 'custom', path: [role, 'command'], message: why });
    }
  }
  for (const [design, store] of Object.entries(target.claimStores ?? {})) {
    if (store !== undefined && !(store in target.stores)) {
      ctx.addIssue({ code: 'custom', path: ['claimStores', design], message: `"${store}" is not one of stores (${Object.keys(target.stores).join(', ')})` });
    }
  }
  if (target.defaultStore !== undefined && !(target.defaultStore in target.stores)) {
    ctx.addIssue({ code: 'custom', path: ['defaultStore'], message: `"${target.defaultStore}" is not one of stores (${Object.keys(target.stores).join(', ')})` });
  }
});

/** A target file that describes a remote server alone (defineRemoteTarget). */
export const remoteTargetFileSchema = z
  .object({ name: nonEmpty, cwd: z.string().optional(), remote: remoteServerSchema, stores: storesSchema, defaultStore: z.string().optional() })
  .strict()
  .superRefine((target, ctx) => {
    if (target.defaultStore !== undefined && !(target.defaultStore in target.stores)) {
      ctx.addIssue({ code: 'custom', path: ['defaultStore'], message: `"${target.defaultStore}" is not one of stores (${Object.keys(target.stores).join(', ')})` });
    }
  });

/** Every field a remote-only target file may have: a misspelling is matched against these alone. */
export const REMOTE_TARGET_FILE_FIELDS: readonly string[] = ['name', 'cwd', 'remote', 'stores', 'defaultStore'];

/**
 * The problem a person should fix first, as "field.path: what was expected". A misspelling is named with the field it was meant to be:
 * a required field that is missing, or (at the top level, given the file's export) an optional one it does not have.
 */
export function describeSchemaIssue(error: z.ZodError, given?: unknown, fields: readonly string[] = TARGET_FILE_FIELDS): string {
  const unknown = error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const missingRequired = error.issues.filter((issue) => issue.code === 'invalid_type' && issue.received === 'undefined').map((issue) => String(issue.path.at(-1)));
    const notGiven = unknown.path.length === 0 && typeof given === 'object' && given !== null ? fields.filter((field) => !(field in given)) : [];
    const missing = [...missingRequired, ...notGiven];
    const where = unknown.path.join('.') || '(the target)';
    const guesses = unknown.keys.map((key) => {
      const meant = missing.find((field) => closeEnough(key, field));
      return `"${key}"${meant ? ` (did you mean "${meant}"?)` : ''}`;
    });
    return `${where}: unknown field(s) ${guesses.join(', ')}`;
  }
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(the default export)'}: ${issue.message}`;
}

/** Same letters give or take two edits: enough to catch a typo, not to pair unrelated names. */
function closeEnough(a: string, b: string): boolean {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
    }
  }
  return rows[a.length]![b.length]! <= 2;
}
