/** Which folders under the real /tmp a host's private /tmp must show, and how wide. */
import { describe, expect, test } from 'vitest';
import { bindsUnderTmp } from './hosts.ts';

const HOSTS = '/tmp/oauth-state-repro-hosts-run-abc';
const HOST_TMP = `${HOSTS}/split-process.json-file/a/tmp`;

describe('bindsUnderTmp', () => {
  test('folders outside /tmp need no bind; /tmp itself and the host\'s own /tmp are never bound', () => {
    expect(bindsUnderTmp(HOST_TMP, ['/work/main', '/home/user/server', '/tmp', '/tmp/', HOST_TMP, `${HOST_TMP}/tsx-0`])).toEqual([]);
  });

  test('a folder under /tmp is widened to its top folder there: a checkout\'s packages sit above the folder that names its entry', () => {
    expect(bindsUnderTmp(HOST_TMP, ['/tmp/jira-mcp/dist/src'])).toEqual(['/tmp/jira-mcp']);
  });

  test('the host\'s home is bound as itself: every folder above it holds the host\'s /tmp', () => {
    expect(bindsUnderTmp(HOST_TMP, [`${HOSTS}/split-process.json-file/a/home`])).toEqual([`${HOSTS}/split-process.json-file/a/home`]);
  });

  test('a checkout beside the hosts folder in a shared parent is widened only up to below that parent', () => {
    const hostTmp = '/tmp/sandbox/oauth-state-repro-hosts-x/cell/a/tmp';
    expect(bindsUnderTmp(hostTmp, ['/tmp/sandbox/checkout/dist'])).toEqual(['/tmp/sandbox/checkout']);
  });

  test('a folder that holds the host\'s /tmp cannot be bound into it and is left out', () => {
    expect(bindsUnderTmp(HOST_TMP, [HOSTS, `${HOSTS}/split-process.json-file`])).toEqual([]);
  });

  test('nested and repeated folders collapse into one bind each; relative segments are resolved', () => {
    expect(bindsUnderTmp(HOST_TMP, ['/tmp/co/server', '/tmp/co/server/dist', '/tmp/co', '/tmp/other/../co/lib', '/tmp/zz/a'])).toEqual(['/tmp/co', '/tmp/zz']);
  });
});
