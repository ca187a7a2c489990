/**
 * Loads a target file (`--target PATH`): imports it, checks its default
 * export field by field, and resolves it into a TargetDescription. A problem
 * is a TargetFileError with one line naming the file and the field, or the
 * line and column where it would not load. A compile cache the harness
 * cannot write while the file loads is not the file's fault: that error
 * (HarnessFolderError) passes through as it is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedFactoryLaunch, TargetDescription, ToolResultView } from './target-description.ts';
import type { FactoryLaunch, ResultLocator, TargetFile } from './target-file.ts';
import { describeSchemaIssue, REMOTE_TARGET_FILE_FIELDS, remoteTargetFileSchema, targetFileSchema } from './target-schema.ts';
import { resolveRemoteServer, resolveRemoteTarget, type RemoteTargetDescription } from './remote-target-description.ts';
import type { RemoteTargetFile } from './remote-target-file.ts';
import { defaultExportOf } from './default-export.ts';
import { asHarnessFolderError } from './harness-folder.ts';
import { describeImportFailure, describeSyntaxCheck, type ImportedFile } from './import-failure.ts';

export class TargetFileError extends Error {
  readonly code = 'target_file_invalid';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`target ${file}: ${problem}`);
    this.name = 'TargetFileError';
  }
}

/** A stdio target (with its remote mode when it gives one), or a remote server alone. */
export type LoadedTarget = { kind: 'stdio'; target: TargetDescription } | { kind: 'remote'; target: RemoteTargetDescription };

/** The stdio part of a target file: what a file must have that is not a remote server alone. */
const STDIO_FIELDS = ['tool', 'callback', 'both', 'launch', 'startFlow', 'callbackPage', 'port'];

/** A target file of either kind: a file with `remote` and none of the stdio fields describes a remote server alone. */
export async function loadAnyTarget(file: string): Promise<LoadedTarget> {
  const { value, absolute } = await importTargetFile(file);
  const given = value as Record<string, unknown>;
  if (typeof given === 'object' && given !== null && 'remote' in given && !STDIO_FIELDS.some((field) => field in given)) {
    const parsed = remoteTargetFileSchema.safeParse(value);
    if (!parsed.success) throw new TargetFileError(file, describeSchemaIssue(parsed.error, value, REMOTE_TARGET_FILE_FIELDS));
    const target = value as RemoteTargetFile;
    const cwd = path.resolve(path.dirname(absolute), target.cwd ?? '.');
    return { kind: 'remote', target: resolveRemoteTarget(target, absolute, cwd, versionOf(cwd)) };
  }
  return { kind: 'stdio', target: parseStdioTarget(file, absolute, value) };
}

/** A remote target for the remote scenarios: a remote-only file's, or a stdio target's remote mode. */
export function remoteTargetOf(loaded: LoadedTarget): RemoteTargetDescription | undefined {
  return loaded.kind === 'remote' ? loaded.target : remoteModeOf(loaded.target);
}

/** A stdio target's remote mode as a remote target of its own (same name, source, folder and stores); undefined when it has none. */
export function remoteModeOf(target: TargetDescription): RemoteTargetDescription | undefined {
  return target.remote ? { name: target.name, source: target.source, cwd: target.cwd, remote: target.remote, stores: target.stores, ...(target.defaultStore ? { defaultStore: target.defaultStore } : {}) } : undefined;
}

export async function loadTarget(file: string): Promise<TargetDescription> {
  const { value, absolute } = await importTargetFile(file);
  return parseStdioTarget(file, absolute, value);
}

function parseStdioTarget(file: string, absolute: string, value: unknown): TargetDescription {
  const parsed = targetFileSchema.safeParse(value);
  if (!parsed.success) throw new TargetFileError(file, describeSchemaIssue(parsed.error, value));
  return resolveTarget(value as TargetFile, absolute);
}

/** The file's default export, imported; a file that will not load, or exports nothing to use, is a TargetFileError. */
async function importTargetFile(file: string): Promise<{ value: unknown; absolute: string }> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new TargetFileError(file, 'no such file');
  const imported: ImportedFile = { absolute, shown: file };
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const folderError = asHarnessFolderError(error);
    if (folderError) throw folderError;
    throw new TargetFileError(file, `could not be loaded: ${describeImportFailure(error, imported, () => nodeSyntaxCheck(imported))}`);
  }
  const exported = defaultExportOf(namespace);
  if (!exported.found) {
    const named = exported.namedExports.length ? `; it exports only ${exported.namedExports.map((name) => `"${name}"`).join(', ')}` : '';
    throw new TargetFileError(file, `has no default export (export default defineTarget({...}))${named}`);
  }
  return { value: exported.value, absolute };
}

/** Node's ESM parser throws a SyntaxError that says nowhere; `node --check` says the line (run only then, for the message). */
function nodeSyntaxCheck(file: ImportedFile): string | undefined {
  const checked = spawnSync(process.execPath, ['--check', file.absolute], { encoding: 'utf8', timeout: 20_000 });
  return describeSyntaxCheck(checked.stderr ?? '', file);
}

/** A value from a tool's result: a structuredContent field (dotted path), or a regex over its text (first group, else the match). */
export function locate(locator: ResultLocator, result: ToolResultView): string | undefined {
  if ('field' in locator) {
    let value: unknown = result.structuredContent;
    for (const key of locator.field.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  const match = locator.pattern.exec(result.text);
  return match ? (match[1] ?? match[0]) : undefined;
}

export function resolveTarget(target: TargetFile, file: string): TargetDescription {
  const folder = path.dirname(file);
  const cwd = path.resolve(folder, target.cwd ?? '.');
  return {
    name: target.name,
    source: { file, ...(versionOf(cwd) ? { version: versionOf(cwd) } : {}) },
    cwd,
    ...(target.build ? { build: target.build } : {}),
    ...(target.launch ? { launch: resolveLaunch(target.launch, cwd, file) } : {}),
    // With `launch`, a target file may leave the tool out: it is the launched module alone.
    tool: { ...target.tool, ready: target.tool?.ready ?? { kind: 'mcp-initialize' } },
    callback: target.callback,
    both: target.both,
    port: target.port,
    callbackPath: target.callbackPath ?? '/oauth/callback',
    healthPath: target.healthPath === undefined ? '/health' : target.healthPath,
    env: (inputs) => target.env(inputs),
    providerHosts: target.providerHosts,
    provider: target.provider ?? 'atlassian',
    runtime: target.runtime,
    tools: { startFlow: target.startFlow.tool, startFlowArgs: target.startFlow.args ?? {} },
    authorizeUrlFrom: (result) => locate(target.startFlow.authorizeUrl, result),
    ...(target.tokenTool ? { tokenTool: { tool: target.tokenTool.tool, identityFrom: (result: ToolResultView) => locate(target.tokenTool!.identity, result) } } : {}),
    ...(target.statusTool ? { statusTool: { tool: target.statusTool.tool, storeFrom: (result: ToolResultView) => locate({ field: target.statusTool!.storeField }, result) } } : {}),
    callbackPage: target.callbackPage,
    stores: target.stores,
    ...(target.defaultStore ? { defaultStore: target.defaultStore } : {}),
    stdoutMayCarryNonMcp: target.stdoutMayCarryNonMcp ?? false,
    ...(target.storeModule ? { storeModule: path.resolve(folder, target.storeModule) } : {}),
    ...(target.claimStores ? { claimStores: target.claimStores } : {}),
    ...(target.remote ? { remote: resolveRemoteServer(target.remote) } : {}),
  };
}

/** The factory module's path against `cwd` (where the processes run), its export, and its config as a function of the inputs. */
function resolveLaunch(launch: FactoryLaunch, cwd: string, file: string): ResolvedFactoryLaunch {
  const { config } = launch;
  return {
    modulePath: path.resolve(cwd, launch.factory),
    exportName: launch.export ?? 'default',
    config: (inputs) => {
      let value: unknown;
      try {
        value = typeof config === 'function' ? config(inputs) : (config ?? {});
      } catch (error) {
        throw new TargetFileError(file, `launch.config(input) threw for the ${inputs.role} process: ${error instanceof Error ? error.message : String(error)}`);
      }
      return plainConfig(value, file, inputs.role);
    },
  };
}

/** The launcher gets the config as JSON: anything JSON would change or drop is refused here, with the field named, rather than arriving altered. */
function plainConfig(value: unknown, file: string, role: string): Record<string, unknown> {
  const refuse = (what: string) => new TargetFileError(file, `launch.config for the ${role} process: ${what}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refuse(`expected an object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  const offending = (item: unknown, where: string): string | undefined => {
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return undefined;
    if (typeof item === 'number') return Number.isFinite(item) ? undefined : `${where} is ${item}, which JSON cannot carry`;
    if (Array.isArray(item)) return item.map((entry, i) => offending(entry, `${where}[${i}]`)).find(Boolean);
    if (typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      // A property left undefined is left out, as JSON does: the same as not giving it (`redirectUri: input.redirectUri`).
      return Object.entries(item).map(([key, entry]) => (entry === undefined ? undefined : offending(entry, `${where}.${key}`))).find(Boolean);
    }
    return `${where} is ${item === undefined ? 'undefined' : typeof item === 'object' ? `an instance of ${(item as object).constructor?.name ?? 'a class'}` : `a ${typeof item}`}, which JSON cannot carry (plain data only)`;
  };
  const problem = offending(value, 'config');
  if (problem) throw refuse(problem);
  return value as Record<string, unknown>;
}

const versions = new Map<string, string | undefined>();

/** The git commit of the target's checkout (with "+dirty" when it has changes), else its package.json version. */
function versionOf(dir: string): string | undefined {
  if (versions.has(dir)) return versions.get(dir);
  let version: string | undefined;
  try {
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--', '.'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    version = `git ${commit}${dirty ? '+dirty' : ''}`;
  } catch {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      version = pkg.version ? `${pkg.name ?? 'package'}@${pkg.version}` : undefined;
    } catch {
      version = undefined;
    }
  }
  versions.set(dir, version);
  return version;
}
