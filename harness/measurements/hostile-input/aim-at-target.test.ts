import { describe, expect, test } from 'vitest';
import { aimAtCallback } from './aim-at-target.ts';
import { loadHostileCases } from './hostile-cases.ts';

describe('aimAtCallback', () => {
  test('leaves the cases as written for a server at /oauth/callback', () => {
    for (const c of loadHostileCases()) expect(aimAtCallback(c.template, '/oauth/callback')).toBe(c.template);
  });

  test.each(['/callback', '/auth/return'])('aims every case at %s: no spelling of /oauth/callback is left', (path) => {
    for (const c of loadHostileCases()) {
      const aimed = aimAtCallback(c.template, path);
      expect(aimed.toLowerCase(), c.id).not.toContain('oauth');
      if (path === '/auth/return') expect(aimed.toLowerCase(), c.id).not.toContain('allback');
    }
  });

  test('keeps each spelling of the path in the new path', () => {
    expect(aimAtCallback('/OAuth/Callback?state=x', '/auth/return')).toBe('/Auth/Return?state=x');
    expect(aimAtCallback('/oauth/./callback?state=x', '/auth/return')).toBe('/auth/./return?state=x');
    expect(aimAtCallback('/oauth/%63allback?state=x', '/auth/return')).toBe('/auth/%72eturn?state=x');
    expect(aimAtCallback('//oauth/callback?state=x', '/callback')).toBe('//callback?state=x');
    expect(aimAtCallback('http://attacker.example/oauth/callback?code=1', '/callback')).toBe('http://attacker.example/callback?code=1');
  });
});
