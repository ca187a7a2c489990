/**
 * The MCP tools the server registers, and which of them starts the OAuth
 * flow, read from its name and description words.
 */
import type { SourceFile } from './source-files.ts';

const REGISTERED = /\.(?:registerTool|tool)\(\s*['"]([\w.\-]+)['"]/g;
/** Tools listed by hand for the low-level Server: `{ name: 'x', description: ... }`. */
const LISTED = /\bname:\s*['"]([\w.\-]+)['"]\s*,\s*(?:title:\s*['"][^'"]*['"]\s*,\s*)?description:/g;
const STARTS_FLOW = /(?:^|[_.-])(?:start|begin|init(?:iate)?)?[_.-]?(?:oauth|auth(?:enticate|orize)?|login|log[_-]?in|sign[_-]?in|connect)(?:$|[_.-])/i;

export interface Tools {
  all: string[];
  startFlow?: string;
}

export function readTools(files: readonly SourceFile[]): Tools {
  const all = new Set<string>();
  for (const { text } of files) for (const form of [REGISTERED, LISTED]) for (const m of text.matchAll(form)) all.add(m[1]!);
  const names = [...all];
  // A name that says it starts (start_oauth) before one that only names OAuth (oauth_status).
  const candidates = names.filter((n) => STARTS_FLOW.test(n) && !/status|whoami|logout|revoke|callback/i.test(n));
  const startFlow = candidates.find((n) => /start|begin|init|login|sign|connect|authorize/i.test(n)) ?? candidates[0];
  return { all: names, ...(startFlow ? { startFlow } : {}) };
}
