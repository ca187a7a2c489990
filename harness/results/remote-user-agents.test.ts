import { describe, expect, it } from 'vitest';
import { describeUserAgents } from './remote-user-agents.ts';

describe('describeUserAgents', () => {
  it('names who played each flow and what the provider showed, counted', () => {
    expect(describeUserAgents([
      { userAgent: 'chromium', consent: 'page, accepted' },
      { userAgent: 'chromium', consent: 'page, accepted' },
      { userAgent: 'chromium' },
    ])).toBe('Chromium 3/3, consent page, accepted 2/3');
  });

  it('says so when the HTTP user agent played, and when the provider asked nothing', () => {
    expect(describeUserAgents([{ userAgent: 'http', consent: 'automatic' }])).toBe('HTTP user agent 1/1, no consent page 1/1');
    expect(describeUserAgents([])).toBe('no flow');
  });
});
