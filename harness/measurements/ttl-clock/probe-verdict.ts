/**
 * Did the server accept or refuse the state of one probe? Judged on what any
 * server shows, never on one server's wording:
 *
 * - accepted: the target's success page, or a token redemption at the
 *   provider for this flow's authorization (a server that redeems the code
 *   went ahead with the state, whatever its page says afterwards);
 * - refused: a page that is not the target's success page, and no
 *   redemption at the provider for this flow;
 * - unknown: the flow never reached the callback, no page came back (and
 *   nothing was redeemed), or the provider's record could not be read.
 *
 * The target's words are kept for the report: the page's message, and the
 * name of its own refusal page when it has one (`callbackPage.refused`).
 * Pure.
 */
import type { TtlProbe } from './flow-across.ts';

export type ProbeVerdict =
  | { kind: 'accepted'; evidence: string }
  | { kind: 'refused'; words: string; refusedAs?: string }
  | { kind: 'unknown'; why: string };

export function probeVerdict(probe: TtlProbe): ProbeVerdict {
  if (!probe.started) return { kind: 'unknown', why: 'start_oauth failed' };
  const page = probe.callback;
  if (!page) return { kind: 'unknown', why: 'the flow did not reach the callback' };
  const provider = probe.provider;
  const redeemed = provider?.readable ? provider.redemptions : undefined;
  if (page.outcome === 'success') return { kind: 'accepted', evidence: redeemed ? 'success page, code redeemed' : 'success page' };
  if (redeemed) {
    const what = page.outcome === 'no-response' ? 'no page came back' : `its page said "${page.message}"`;
    return { kind: 'accepted', evidence: `${what}, but the code was redeemed at the provider (${redeemed}×)` };
  }
  if (page.outcome === 'no-response') return { kind: 'unknown', why: `no page came back (${page.message})` };
  if (!provider) return { kind: 'unknown', why: "the provider's record of this flow was not read" };
  if (!provider.readable) return { kind: 'unknown', why: `the provider's record could not be read (${provider.why})` };
  return { kind: 'refused', words: page.message, ...(page.refusedAs ? { refusedAs: page.refusedAs } : {}) };
}

/** Evidence of acceptance (a success page, or a redemption). */
export const accepted = (probe: TtlProbe): boolean => probeVerdict(probe).kind === 'accepted';
/** Evidence of refusal (a page that is not a success, and no redemption). */
export const refused = (probe: TtlProbe): boolean => probeVerdict(probe).kind === 'refused';

/** One word for a figure: accepted, refused or unknown. */
export function said(probe: TtlProbe): 'accepted' | 'refused' | 'unknown' {
  return probeVerdict(probe).kind;
}

/** A refusal as the report quotes it: the target's words, and the name of its refusal page when one matched. */
export function quoteRefusal(probe: TtlProbe): string | undefined {
  const verdict = probeVerdict(probe);
  if (verdict.kind !== 'refused') return undefined;
  return `"${verdict.words}"${verdict.refusedAs ? ` (its ${verdict.refusedAs} page)` : ''}`;
}
