/**
 * Which of the server's files start which process. An entry is a file no
 * other file imports; what it reaches says its role: the SDK's stdio
 * transport is an MCP server over stdio (the tool process), an HTTP listen
 * is a callback server, both is a process doing both jobs, a default-export
 * factory with no transport is a module for a hosting platform (`launch`),
 * and the SDK's Streamable HTTP transport is a remote server.
 */
import { closureOf, importGraph, type PackageJson, type SourceFile } from './source-files.ts';

export interface EntryPoint {
  file: string;
  stdio: boolean;
  listens: boolean;
  /** A command-line flag that turns the HTTP server on (`process.argv.includes('--http-server')`), when the listen depends on one. */
  httpFlag?: string;
  factory: boolean;
  streamableHttp: boolean;
  /** Prints with console.log: lines on stdout beside MCP. */
  logsOnStdout: boolean;
}

export interface EntryRoles {
  tool?: EntryPoint;
  callback?: EntryPoint;
  both?: EntryPoint;
  factory?: EntryPoint;
  remote?: EntryPoint;
  all: EntryPoint[];
}

const STDIO = /\bStdioServerTransport\b/;
const STREAMABLE = /\bStreamableHTTPServerTransport\b/;
const MCP_SERVER = /\bnew\s+(?:McpServer|Server)\s*\(/;
const LISTENS = /\.listen\s*\(/;
const ARGV_FLAG = /process\.argv\.(?:includes|indexOf)\(\s*['"](--[\w-]+)['"]\s*\)/;
const SERVE_FLAG = /['"](--[\w-]*(?:http|callback|serve|server|listen|web)[\w-]*)['"]/;
const DEFAULT_FACTORY = /export\s+default\s+(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*;)|module\.exports\s*=|exports\.default\s*=/;
const CONSOLE_LOG = /\bconsole\.(?:log|info)\s*\(/;

export function findEntryPoints(files: readonly SourceFile[], pkg?: PackageJson): EntryRoles {
  const graph = importGraph(files);
  const imported = new Set([...graph.values()].flat());
  const text = new Map(files.map((f) => [f.path, f.text]));
  const roots = files.map((f) => f.path).filter((file) => !imported.has(file));
  const all = roots
    .map((file): EntryPoint => {
      const reached = closureOf(file, graph).map((f) => text.get(f) ?? '');
      const has = (pattern: RegExp) => reached.some((t) => pattern.test(t));
      // `process.argv.includes('--http')` anywhere it reaches; else a flag its own file names that says it serves HTTP (handed to a parser).
      const flag = reached.map((t) => ARGV_FLAG.exec(t)?.[1]).find(Boolean) ?? SERVE_FLAG.exec(text.get(file) ?? '')?.[1];
      const stdio = has(STDIO);
      const mcp = has(MCP_SERVER) || stdio;
      return {
        file,
        stdio,
        listens: has(LISTENS),
        ...(flag ? { httpFlag: flag } : {}),
        factory: !stdio && mcp && DEFAULT_FACTORY.test(text.get(file) ?? ''),
        streamableHttp: has(STREAMABLE),
        logsOnStdout: has(CONSOLE_LOG),
      };
    })
    .filter((entry) => entry.stdio || entry.listens || entry.factory || entry.streamableHttp);
  // The package's own entry (bin, then main) is the first choice where several files could be it.
  const declared = [...(typeof pkg?.bin === 'string' ? [pkg.bin] : Object.values(pkg?.bin ?? {})), ...(pkg?.main ? [pkg.main] : [])].map(sourceOfBuilt);
  const rank = (entry: EntryPoint) => {
    const stem = entry.file.replace(/\.[^.]+$/, '');
    return declared.some((d) => stem === d || stem === `src/${d}`) ? 0 : 1;
  };
  const pick = (test: (entry: EntryPoint) => boolean) => all.filter(test).sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file))[0];
  const both = pick((e) => e.stdio && e.listens && !e.httpFlag);
  const tool = pick((e) => e.stdio && (!e.listens || !!e.httpFlag)) ?? both;
  return {
    ...(tool ? { tool } : {}),
    ...(both ? { both } : {}),
    ...withValue('callback', pick((e) => e.listens && !e.stdio && !e.factory && !e.streamableHttp)),
    ...withValue('factory', pick((e) => e.factory && !e.streamableHttp)),
    ...withValue('remote', pick((e) => e.streamableHttp)),
    all,
  };
}

const withValue = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** `dist/index.js` → `index`, `build/src/server.js` → `src/server`: the built file's source, without its extension. */
function sourceOfBuilt(file: string): string {
  return file.replace(/^\.\//, '').replace(/^(?:dist|build|out|lib)\//, '').replace(/\.[cm]?js$/, '');
}
