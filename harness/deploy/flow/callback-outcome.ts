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
  const { success, invalidState, failure } = target.callbackPage;
  // The invalid-state pattern's match is the sentence the user saw.
  const invalid = invalidState.exec(text);
  if (invalid) return { outcome: 'invalid-state', status: page.status, message: invalid[0] };
  if (failure?.test(text) || !success.test(text)) return { outcome: 'error', status: page.status, message: `HTTP ${page.status}: ${text.slice(0, 200)}` };
  // A success page with an error status is not a success a user can trust.
  if (page.status >= 400) return { outcome: 'error', status: page.status, message: `HTTP ${page.status}: ${text.slice(0, 200)}` };
  return { outcome: 'success', status: page.status, message: text.slice(0, 160) };
}
