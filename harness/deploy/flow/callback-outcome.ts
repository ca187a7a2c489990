/**
 * Reads what the callback page told the user, knowing the target only by its
 * description: the text shown, classified by the target's own patterns
 * (success, invalid state, other failure), never by the status code alone —
 * many servers answer 200 for every failure.
 */
import type { TargetDescription } from '../target/target-description.ts';
import type { Page } from './user-agent.ts';

export type CallbackOutcome = 'success' | 'invalid-state' | 'error';

export interface CallbackReading {
  outcome: CallbackOutcome;
  status: number;
  /** The text the user saw, tags stripped, entities decoded, short. */
  message: string;
  /** The target's own name for this refusal (a key of `callbackPage.refused`), when one of its refusal pages matched; `message` is then its words. */
  refusedAs?: string;
}

export function pageText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function readCallbackPage(page: Page, target: Pick<TargetDescription, 'callbackPage'>): CallbackReading {
  const text = pageText(page.body);
  const { success, invalidState, failure, refused } = target.callbackPage;
  // The invalid-state pattern's match is the sentence the user saw.
  const invalid = invalidState.exec(text);
  if (invalid) return { outcome: 'invalid-state', status: page.status, message: invalid[0] };
  // The target's own refusal pages: a failure, quoted in its words and named by what it refuses.
  for (const [name, pattern] of Object.entries(refused ?? {})) {
    const match = pattern.exec(text);
    if (match) return { outcome: 'error', status: page.status, message: match[0], refusedAs: name };
  }
  if (failure?.test(text) || !success.test(text)) return { outcome: 'error', status: page.status, message: `HTTP ${page.status}: ${text.slice(0, 200)}` };
  // A success page with an error status is not a success a user can trust.
  if (page.status >= 400) return { outcome: 'error', status: page.status, message: `HTTP ${page.status}: ${text.slice(0, 200)}` };
  return { outcome: 'success', status: page.status, message: text.slice(0, 160) };
}
