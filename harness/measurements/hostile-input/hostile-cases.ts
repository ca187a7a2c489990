/**
 * The hostile callback requests, as data: fixtures/hostile-payloads/*.cases,
 * one request per line, each file named for the answer it must get
 * (`400-invalid-state.cases`). See that folder's README for the format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOSTILE_PAYLOADS_DIR = fileURLToPath(new URL('../../../fixtures/hostile-payloads/', import.meta.url));

export interface HostileCase {
  /** `<file outcome>/<case id>`, e.g. `400-invalid-state/state-10kb`. */
  id: string;
  expectedStatus: number;
  /** The outcome slug from the file name, e.g. `invalid-state`. */
  expectedOutcome: string;
  method: string;
  /** The target with escapes decoded and placeholders still in. */
  template: string;
  /** Uses {live}: fired against a flow in progress whose session must survive. */
  touchesLiveState: boolean;
}

/** What a deployment fills the placeholders with. */
export interface CaseBindings {
  forged: string;
  live: string;
  foreignQuery: string;
  replayQuery: string;
}

export class HostileCaseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${path.basename(file)}:${line}: ${message}`);
    this.name = 'HostileCaseError';
  }
}

export function loadHostileCases(dir = HOSTILE_PAYLOADS_DIR): HostileCase[] {
  const cases: HostileCase[] = [];
  const files = readdirSync(dir).filter((name) => name.endsWith('.cases')).sort();
  for (const name of files) {
    const fileMatch = /^(\d{3})-([a-z-]+)\.cases$/.exec(name);
    if (!fileMatch) throw new HostileCaseError(name, 0, 'file name must be <status>-<outcome>.cases');
    const file = path.join(dir, name);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const match = /^(\S+)\s+(\S+)\s+(\S.*)$/.exec(line);
      if (!match) throw new HostileCaseError(file, index + 1, `expected "<case-id> <METHOD> <target>", got ${JSON.stringify(line)}`);
      const [, caseId, method, target] = match as unknown as [string, string, string, string];
      const id = `${fileMatch[1]}-${fileMatch[2]}/${caseId}`;
      if (cases.some((c) => c.id === id)) throw new HostileCaseError(file, index + 1, `duplicate case id ${caseId}`);
      const template = decodeEscapes(target, file, index + 1);
      cases.push({
        id,
        expectedStatus: Number(fileMatch[1]),
        expectedOutcome: fileMatch[2]!,
        method,
        template,
        touchesLiveState: template.includes('{live}'),
      });
    });
  }
  return cases;
}

/** `\r \n \t \0 \\ \xHH`: the only way a raw control byte gets into a case line. */
function decodeEscapes(text: string, file: string, line: number): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[rnt0\\]|.)/g, (_all, esc: string) => {
    if (esc.startsWith('x') && esc.length === 3) return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    switch (esc) {
      case 'r':
        return '\r';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '0':
        return '\0';
      case '\\':
        return '\\';
      default:
        throw new HostileCaseError(file, line, `unknown escape \\${esc}`);
    }
  });
}

export function fillCase(template: string, bindings: CaseBindings): string {
  return template.replace(/\{(forged|live|foreign-query|replay-query|repeat:(\d+):(.))\}/g, (_all, name: string, count?: string, char?: string) => {
    if (count !== undefined && char !== undefined) return char.repeat(Number(count));
    switch (name) {
      case 'forged':
        return bindings.forged;
      case 'live':
        return bindings.live;
      case 'foreign-query':
        return bindings.foreignQuery;
      default:
        return bindings.replayQuery;
    }
  });
}

/**
 * Every value a case carries in its query (decoded the way a server would),
 * plus its path: what must never come back unescaped.
 */
export function payloadValues(target: string): string[] {
  const values: string[] = [];
  const q = target.indexOf('?');
  const pathPart = q === -1 ? target : target.slice(0, q);
  values.push(safeDecode(pathPart));
  if (q !== -1) {
    for (const [name, value] of new URLSearchParams(target.slice(q + 1))) values.push(name, value);
  }
  return values.filter((v) => v !== '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
