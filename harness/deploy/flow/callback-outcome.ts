/**
 * Reads what the callback page told the user, knowing the target only by its
 * description: the HTTP status and the text shown.
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

export function readCallbackPage(page: Page, target: TargetDescription): CallbackReading {
  const text = pageText(page.body);
  if (text.includes(target.invalidStateMessage)) {
    // Quote the sentence the user saw, from its "Token exchange failed" prefix if present.
    const at = text.indexOf(target.invalidStateMessage);
    const prefixAt = text.lastIndexOf('Token exchange failed', at);
    const from = prefixAt >= 0 && at - prefixAt < 40 ? prefixAt : at;
    return { outcome: 'invalid-state', status: page.status, message: text.slice(from, at + target.invalidStateMessage.length) };
  }
  if (page.status >= 200 && page.status < 300) return { outcome: 'success', status: page.status, message: text.slice(0, 160) };
  return { outcome: 'error', status: page.status, message: `HTTP ${page.status}: ${text.slice(0, 200)}` };
}
