/**
 * The paths the server's HTTP code answers: express-style routes
 * (`app.get('/oauth/callback', ...)`), comparisons of the request's path
 * (`url.pathname === '/health'`, `case '/callback':`), and the path in a
 * default redirect URI. Which is the OAuth callback and which says the
 * process is alive is read from the path's words.
 */
import type { SourceFile } from './source-files.ts';

const ROUTE_FORMS = [
  /\.(?:get|post|put|delete|patch|all|use|route)\(\s*['"`](\/[\w\-./:]*)['"`]/g,
  /(?:pathname|path|url)\s*===?\s*['"`](\/[\w\-./]*)['"`]/g,
  /['"`](\/[\w\-./]*)['"`]\s*===?\s*(?:[\w.]*\.)?(?:pathname|path|url)\b/g,
  /case\s+['"`](\/[\w\-./]*)['"`]\s*:/g,
  /https?:\/\/(?:localhost|127\.0\.0\.1)(?::[\d${}\w.]+)?(\/[\w\-./]+)/g,
  // A route kept in a constant: `const HEALTH_PATH = '/health'`, `CALLBACK_ROUTE = '/oauth/callback'`.
  /\b[A-Z_]*(?:PATH|ROUTE)\w*\s*=\s*['"`](\/[\w\-./]*)['"`]/g,
];
const CALLBACK_WORDS = /callback|redirect|return|oauth|auth\/?(?:code|complete|done)/i;
const HEALTH_WORDS = /^\/(?:health|healthz|healthcheck|ready|readyz|livez|ping|status)$/i;

export interface HttpRoutes {
  all: string[];
  callbackPath?: string;
  healthPath?: string;
}

export function readHttpRoutes(files: readonly SourceFile[]): HttpRoutes {
  const counts = new Map<string, number>();
  for (const { text } of files) for (const form of ROUTE_FORMS) for (const m of text.matchAll(form)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  const all = [...counts.keys()].filter((p) => p.length > 1).sort();
  // The path named most often wins a tie of words: the route and its redirect URI both name it.
  const callback = all.filter((p) => CALLBACK_WORDS.test(p) && !HEALTH_WORDS.test(p) && !/authorize$|\/mcp$|\.well-known/.test(p)).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0];
  const health = all.find((p) => HEALTH_WORDS.test(p));
  return { all, ...(callback ? { callbackPath: callback } : {}), ...(health ? { healthPath: health } : {}) };
}
