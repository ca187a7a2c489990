/**
 * What the callback says to a state it never issued, asked of the running
 * server: a made-up code and state sent to its callback route in one
 * process. A page's words for an unknown state are the server's own and no
 * reading of its code can be sure of them; its answer can.
 */
import { randomBytes } from 'node:crypto';
import { History } from '../../core/history.ts';
import type { RunFolder } from '../../core/run-folder.ts';
import { Deployment } from '../../deploy/deployment.ts';
import type { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import type { TargetDescription } from '../../deploy/target/target-description.ts';

/** The page's text phrases (tags removed), in order; none of them holds the made-up values. */
export async function unknownStatePage(target: TargetDescription, store: string, mock: MockAtlassian, run: RunFolder): Promise<string[]> {
  const deployment = await Deployment.start({ target, topology: 'single-process', store, label: 'init.unknown-state', mock, run, history: new History() });
  try {
    const state = randomBytes(32).toString('base64url');
    const code = randomBytes(16).toString('hex');
    const url = new URL(target.callbackPath, deployment.callbackUrl);
    url.search = new URLSearchParams({ code, state }).toString();
    const page = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
    return pagePhrases(page).filter((p) => !p.includes(state) && !p.includes(code));
  } finally {
    await deployment.stop().catch(() => undefined);
  }
}

/** Text between tags, entities decoded, one phrase per block; scripts and styles left out. */
export function pagePhrases(html: string): string[] {
  const text = html
    .replace(/<(script|style)[^>]*>[^]*?<\/\1>/gi, '\n')
    .replace(/<[^>]*>/g, '\n')
    .replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[e] ?? _);
  return text.split('\n').map((p) => p.trim()).filter((p) => p.split(/\s+/).length >= 3);
}
