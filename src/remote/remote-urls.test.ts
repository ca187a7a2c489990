import { describe, expect, it } from 'vitest';
import { remoteUrls, sameResource } from './remote-urls.ts';

describe('remoteUrls', () => {
  it('derives the issuer, the resource and the provider redirect URI from PUBLIC_URL alone', () => {
    expect(remoteUrls('https://mcp.example.com')).toEqual({
      issuer: 'https://mcp.example.com/',
      resource: 'https://mcp.example.com/mcp',
      providerCallback: 'https://mcp.example.com/oauth/callback',
    });
  });
});

describe('sameResource', () => {
  it.each([
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/mcp/', true],
    ['https://mcp.example.com/mcp#x', 'https://mcp.example.com/mcp', true],
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/other', false],
    ['https://evil.example/mcp', 'https://mcp.example.com/mcp', false],
  ])('%s vs %s: %s', (a, b, same) => {
    expect(sameResource(a, b)).toBe(same);
  });
});
