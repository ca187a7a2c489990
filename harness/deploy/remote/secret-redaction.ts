/**
 * Hop records are written into run folders and reports, so the values that
 * would let a reader finish or replay a flow (authorization codes, access
 * and refresh tokens, PKCE verifiers, client secrets, state, session ids)
 * are cut to a recognisable prefix before they are recorded. Two nets: query
 * parameters with a secret's name, and any value the flow has learnt is
 * secret, wherever it turns up (an error page echoing a code, say).
 */

/** Query parameters whose values are secrets wherever they appear. */
const SECRET_PARAMS = new Set(['code', 'state', 'code_verifier', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'token']);

/** Shorter values are not worth hiding and would match too much text. */
const MIN_SECRET_LENGTH = 8;
const KEPT_CHARS = 4;

/** "abcd…(36)": enough to tell two values apart in a record, not enough to use one. */
export function shortened(value: string): string {
  return value.length <= KEPT_CHARS ? '…' : `${value.slice(0, KEPT_CHARS)}…(${value.length})`;
}

export class SecretValues {
  private readonly values = new Set<string>();

  /** Remembers a value (ignoring empty and short ones) so that later records hide it. */
  add(value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  /** Every remembered value in the text replaced by its shortened form; longest first, so a value containing another is hidden whole. */
  redactText(text: string): string {
    let result = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) result = result.split(value).join(shortened(value));
    return result;
  }

  /**
   * The URL with its secret query parameters shortened (and remembered as
   * secrets), then any remembered value hidden. The query is rewritten as
   * text, not re-encoded, so a record stays readable.
   */
  redactUrl(url: string): string {
    const queryStart = url.indexOf('?');
    if (queryStart < 0) return this.redactText(url);
    const hashStart = url.indexOf('#', queryStart);
    const query = url.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
    const pairs = query.split('&').map((pair) => {
      const separator = pair.indexOf('=');
      if (separator < 0) return pair;
      const name = decodeQueryPart(pair.slice(0, separator));
      if (!SECRET_PARAMS.has(name)) return pair;
      const value = decodeQueryPart(pair.slice(separator + 1));
      this.add(value);
      return `${pair.slice(0, separator)}=${shortened(value)}`;
    });
    return this.redactText(`${url.slice(0, queryStart)}?${pairs.join('&')}${hashStart < 0 ? '' : url.slice(hashStart)}`);
  }
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}
