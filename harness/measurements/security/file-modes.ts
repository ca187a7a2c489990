/**
 * What a store left on disk, and who else on the machine could read it: the
 * files under a deployment's simulated hosts (their TMPDIR and HOME), their
 * mode bits, their folder's, and whether another user could reach them
 * (every folder above searchable by "other", the file readable by "other").
 * Also what each file holds that matters: PKCE verifiers (found by hash,
 * whatever the file format) and tokens (found by field name in JSON).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export interface FileOnDisk {
  /** Path relative to the host root it was found under, e.g. `a/tmp/jira-oauth-sessions.json`. */
  relative: string;
  absolute: string;
  size: number;
  /** Octal permission bits, e.g. "0644". */
  mode: string;
  folderMode: string;
  /** The folder has the sticky bit (like /tmp): others cannot delete or rename the file. */
  folderSticky: boolean;
  /** Anyone but the owner may read the file: group or other read bit. */
  groupOrOtherReadable: boolean;
  /** Another (non-group) user can actually read it: o+r on the file and o+x on every folder above it. */
  otherUserCanRead: boolean;
  /** The folder can be written by other users without the sticky bit: a file there can be replaced under us. */
  folderWritableByOthers: boolean;
  symlink: boolean;
  /** PKCE verifiers in the file (strings whose S256 is a recorded code_challenge). */
  verifiers: string[];
  /** Values of JSON fields named like tokens. */
  tokens: { kind: 'access-token' | 'refresh-token' | 'token'; value: string }[];
}

const MAX_READ_BYTES = 64 * 1024 * 1024;

export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** Every regular file (and symlink) under the roots, with what it exposes. */
export function filesUnder(roots: readonly string[], challenges: ReadonlySet<string>, hostRoot: string): FileOnDisk[] {
  const found: FileOnDisk[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const absolute = path.join(dir, name);
      let link: Stats;
      try {
        link = lstatSync(absolute);
      } catch {
        continue;
      }
      if (link.isDirectory()) {
        walk(absolute);
        continue;
      }
      if (!link.isFile() && !link.isSymbolicLink()) continue;
      found.push(describeFile(absolute, link, challenges, hostRoot));
    }
  };
  for (const root of roots) walk(root);
  return found;
}

function describeFile(absolute: string, link: Stats, challenges: ReadonlySet<string>, hostRoot: string): FileOnDisk {
  const folder = statSync(path.dirname(absolute));
  const stat = link.isSymbolicLink() ? safeStat(absolute) ?? link : link;
  const mode = stat.mode;
  const content = stat.isFile() && stat.size <= MAX_READ_BYTES ? safeRead(absolute) : '';
  return {
    relative: path.relative(hostRoot, absolute),
    absolute,
    size: stat.size,
    mode: octal(mode),
    folderMode: octal(folder.mode),
    folderSticky: (folder.mode & 0o1000) !== 0,
    groupOrOtherReadable: (mode & 0o044) !== 0,
    otherUserCanRead: (mode & 0o004) !== 0 && ancestorsSearchableByOthers(path.dirname(absolute)),
    folderWritableByOthers: (folder.mode & 0o002) !== 0 && (folder.mode & 0o1000) === 0,
    symlink: link.isSymbolicLink(),
    verifiers: verifiersIn(content, challenges),
    tokens: tokensIn(content),
  };
}

/** o+x on every folder from the root down: the path can be traversed by another user. */
export function ancestorsSearchableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const stat = safeStat(current);
    if (!stat || (stat.mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function verifiersIn(content: string, challenges: ReadonlySet<string>): string[] {
  if (challenges.size === 0 || content === '') return [];
  const found = new Set<string>();
  for (const match of content.matchAll(/[A-Za-z0-9._~-]{43,128}/g)) {
    const candidate = match[0];
    if (challenges.has(createHash('sha256').update(candidate).digest('base64url'))) found.add(candidate);
  }
  return [...found];
}

function tokensIn(content: string): FileOnDisk['tokens'] {
  const trimmed = content.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return [];
  }
  const tokens: FileOnDisk['tokens'] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' && /token/i.test(key) && v.length >= 16) {
        tokens.push({ kind: /refresh/i.test(key) ? 'refresh-token' : /access/i.test(key) ? 'access-token' : 'token', value: v });
      } else {
        visit(v, depth + 1);
      }
    }
  };
  visit(parsed, 0);
  return tokens;
}

function safeStat(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
