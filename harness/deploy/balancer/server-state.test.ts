/**
 * `show servers state` as haproxy 2.6.12 printed it: two servers from the
 * config (one drained), one added at runtime and still in the maintenance
 * it starts in.
 */
import { describe, expect, it } from 'vitest';
import { parseServersState, ServerStateParseError } from './server-state.ts';

const HEADER =
  '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';
const ANSWER = [
  '1',
  HEADER,
  '3 replicas 1 replica-1 127.0.0.1 2 0 1 1 5 1 0 2 0 0 0 0 - 18081 - 0 0 - - 0',
  '3 replicas 2 replica-2 127.0.0.1 2 8 1 1 5 1 0 2 0 0 0 0 - 18082 - 0 0 - - 0',
  '3 replicas 3 replica-3 ::1 0 1 1 1 2 1 0 0 0 0 0 0 - 18083 - 0 0 - - 0',
  '',
].join('\n');

describe('show servers state', () => {
  it('reads each server’s name, address, admin state and whether it runs', () => {
    expect(parseServersState(ANSWER)).toEqual([
      { name: 'replica-1', host: '127.0.0.1', port: 18081, state: 'ready', running: true, weight: 1 },
      { name: 'replica-2', host: '127.0.0.1', port: 18082, state: 'drain', running: true, weight: 1 },
      { name: 'replica-3', host: '::1', port: 18083, state: 'maint', running: false, weight: 1 },
    ]);
  });

  it('maintenance wins over drain when both bits are set', () => {
    const both = ANSWER.replace('127.0.0.1 2 8 1', '127.0.0.1 2 9 1');
    expect(parseServersState(both)[1]!.state).toBe('maint');
  });

  it('an empty backend is an empty list', () => {
    expect(parseServersState(`1\n${HEADER}\n`)).toEqual([]);
  });

  it.each([
    ['an error instead of the table', 'No such backend.\n', /format version 1/],
    ['a header without srv_port', `1\n${HEADER.replace(' srv_port', '')}\n`, /no srv_port field/],
    ['a short line', `1\n${HEADER}\n3 replicas 1 replica-1\n`, /a line has 4 fields, the header 25/],
  ])('%s is refused, quoting what haproxy said', (_case, answer, message) => {
    expect(() => parseServersState(answer)).toThrow(ServerStateParseError);
    expect(() => parseServersState(answer)).toThrow(message);
  });
});
