/**
 * A tiny stderr logger. stdout is reserved (MCP in the tool process, the one
 * readiness line in the callback process), so every log line goes to stderr.
 *
 * Redaction happens twice: fields known to hold secrets are replaced before
 * formatting, and the formatted line is scrubbed of every registered secret
 * (the client secret) wherever it appears, e.g. inside an error message.
 */

const REDACTED = '[REDACTED]';

/** Field names whose values are secrets, compared case-sensitively as they appear on the wire and in code. */
const SECRET_FIELDS = new Set([
  'client_secret',
  'clientSecret',
  'code_verifier',
  'codeVerifier',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'code',
  'authorization',
  'Authorization',
]);

/** Fields that may be shown as a short prefix: enough to correlate log lines, not enough to replay. */
const PREFIX_FIELDS = new Set(['state']);

const registeredSecrets = new Set<string>();

/** Registers a value (the client secret) that redact() masks wherever it appears. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; a real secret is long.
  if (value && value.length >= 4) registeredSecrets.add(value);
}

/** Forgets registered secrets; for tests. */
export function clearRegisteredSecrets(): void {
  registeredSecrets.clear();
}

/** Masks every registered secret in a text. */
export function redact(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * Line breaks and characters a terminal or a reader would act on (ESC
 * sequences, NUL, bidi overrides, zero-width), found in request data such as
 * a hostile state, are written as visible escapes: one call is one log line,
 * and nothing a client sends can forge another line or recolour the terminal.
 */
const UNSAFE_IN_LOG = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;

export function escapeForLog(text: string): string {
  return text.replace(UNSAFE_IN_LOG, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** First 8 characters and an ellipsis: how the write-up shows a state. */
export function shortId(value: string): string {
  return value.length <= 8 ? `${value.slice(0, 2)}…` : `${value.slice(0, 8)}…`;
}

/** Deep copy of a value with secret fields replaced. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELDS.has(key)) out[key] = v === undefined ? undefined : REDACTED;
    else if (PREFIX_FIELDS.has(key) && typeof v === 'string') out[key] = shortId(v);
    else out[key] = redactFields(v, depth + 1);
  }
  return out;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
type Sink = (line: string) => void;

const stderrSink: Sink = (line) => {
  process.stderr.write(`${line}\n`);
};

export function createLogger(component: string, sink: Sink = stderrSink): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${message}`;
    if (fields && Object.keys(fields).length > 0) {
      try {
        line += ` ${JSON.stringify(redactFields(fields))}`;
      } catch {
        line += ' {"fields":"<unserializable>"}';
      }
    }
    try {
      sink(escapeForLog(redact(line)));
    } catch {
      // A closed stderr must not take the process down.
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (sub) => createLogger(`${component}:${sub}`, sink),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
