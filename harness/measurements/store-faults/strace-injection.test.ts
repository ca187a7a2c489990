import { describe, expect, test } from 'vitest';
import { injectExpression, killedWrite, parseStraceLog, straceArgs } from './strace-injection.ts';

// Lines as strace 6.1 writes them with -f -y -s 64 -o (attached to a driver).
const LOG = [
  '4101 write(1<pipe:[88]>, "{\\"type\\":\\"invoke\\",\\"op\\":1,\\"f\\":\\"put\\",\\"index\\":0,\\"time\\":1}\\n", 58) = 58',
  '4101 write(2<pipe:[89]>, "2026-01-01T00:00:00.000Z INFO  [json-file-store] 💾 Storing"..., 90) = 90',
  '4101 write(18</runs/x/store/sessions.json>, "{\\n  \\"abc\\": {"..., 334) = 334',
  '4101 write(1<pipe:[88]>, "{\\"type\\":\\"invoke\\",\\"op\\":2,\\"f\\":\\"put\\",\\"index\\":1,\\"time\\":2}\\n", 58) = 58',
  '4101 write(18</runs/x/store/sessions.json>, "{\\n  \\"abc\\": {"..., 666 <unfinished ...>',
  '4105 +++ killed by SIGKILL +++',
  '4101 <... write resumed>) = ?',
  '4101 +++ killed by SIGKILL +++',
].join('\n');

describe('strace log parsing', () => {
  test('attributes each write to the driver operation in progress, from its invoke markers on stdout', () => {
    const log = parseStraceLog(LOG);
    const store = log.writes.filter((write) => write.target.endsWith('sessions.json'));
    expect(store.map((write) => [write.op, write.result])).toEqual([
      [1, 334],
      [2, '?'],
    ]);
  });

  test('finds the write the process died in, even when strace split it over two lines', () => {
    const died = killedWrite(parseStraceLog(LOG));
    expect(died).toMatchObject({ tid: 4101, syscall: 'write', target: '/runs/x/store/sessions.json', result: '?' });
  });

  test('reads an injected errno', () => {
    const log = parseStraceLog('77 write(3</s/sessions.json>, "x", 1) = -1 ENOSPC (No space left on device) (INJECTED)');
    expect(log.writes[0]).toMatchObject({ result: -1, errno: 'ENOSPC', injected: true });
  });
});

describe('strace arguments', () => {
  test('a kill at the N-th write, counted on the named paths only, attached to a running process', () => {
    const args = straceArgs({ logFile: '/l', paths: ['/s/sessions.json'], injection: { kind: 'kill', syscall: 'write', when: 7 }, attachPid: 42 });
    expect(args.join(' ')).toContain('-P /s/sessions.json -e inject=write:signal=KILL:when=7 -p 42');
    // --seccomp-bpf silently drops signal injection on strace 6.1: it must never be added.
    expect(args).not.toContain('--seccomp-bpf');
  });

  test('an error on every write from the N-th on', () => {
    expect(injectExpression({ kind: 'error', syscall: 'pwrite64', errno: 'EIO', when: 3, persistent: true })).toBe('inject=pwrite64:error=EIO:when=3+');
  });
});
