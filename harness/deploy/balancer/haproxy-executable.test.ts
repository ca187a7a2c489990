/**
 * Debian's haproxy is in /usr/sbin: it is found when PATH lacks the sbin
 * folders (a user who is not root), and a name that is nowhere is not.
 */
import { describe, expect, it } from 'vitest';
import { findHaproxy, HAPROXY_INSTALL_HINT } from './haproxy-executable.ts';

describe('finding haproxy', () => {
  it('finds the installed haproxy with a PATH that has no sbin folder', () => {
    expect(findHaproxy('haproxy', '/usr/bin:/bin')).toMatch(/\/sbin\/haproxy$/);
  });

  it('is undefined for a command that is nowhere, on PATH or in sbin', () => {
    expect(findHaproxy('no-such-haproxy', '/usr/bin:/bin')).toBeUndefined();
    expect(findHaproxy('/nonexistent/haproxy')).toBeUndefined();
  });

  it('takes a path with a slash as it is', () => {
    const found = findHaproxy('haproxy', '')!;
    expect(findHaproxy(found, '')).toBe(found);
  });

  it('the install hint names the Debian package', () => {
    expect(HAPROXY_INSTALL_HINT).toContain('apt-get install haproxy');
  });
});
