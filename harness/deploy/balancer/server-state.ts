/**
 * The replicas haproxy has, read from the runtime API's `show servers state
 * <backend>`: a header line of field names, then one line per server. Read
 * by field name, not position, so that a version adding a column does not
 * shift the meaning of the others.
 */

/** What a replica takes: everything (ready), only clients already pinned to it (drain), nothing (maint). */
export const REPLICA_STATES = ['ready', 'drain', 'maint'] as const;
export type ReplicaState = (typeof REPLICA_STATES)[number];

export interface ServerState {
  name: string;
  host: string;
  port: number;
  state: ReplicaState;
  /** haproxy's operational state: whether it would send traffic, given the admin state (and health checks, when there are any). */
  running: boolean;
  weight: number;
}

// srv_admin_state bits (haproxy's SRV_ADMF_*): forced, inherited, configured, resolver and hostname maintenance; forced and inherited drain.
const MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN_BITS = 0x08 | 0x10;
const SRV_ST_RUNNING = 2;

export class ServerStateParseError extends Error {
  readonly code = 'haproxy_server_state_unreadable';
  constructor(message: string, readonly answer: string) {
    super(`${message}; haproxy answered:\n${answer.split('\n').slice(0, 5).map((line) => `  | ${line}`).join('\n')}`);
    this.name = 'ServerStateParseError';
  }
}

/** Parses `show servers state <backend>` (format version 1). */
export function parseServersState(answer: string): ServerState[] {
  const lines = answer.split('\n').map((line) => line.trim()).filter(Boolean);
  const version = lines.shift();
  if (version !== '1') throw new ServerStateParseError(`expected format version 1 on the first line, got ${JSON.stringify(version)}`, answer);
  const header = lines.shift();
  if (!header?.startsWith('# ')) throw new ServerStateParseError('expected a "# field …" header on the second line', answer);
  const fields = header.slice(2).split(' ');
  const column = (name: string) => {
    const index = fields.indexOf(name);
    if (index < 0) throw new ServerStateParseError(`no ${name} field in the header`, answer);
    return index;
  };
  const at = {
    name: column('srv_name'),
    addr: column('srv_addr'),
    port: column('srv_port'),
    op: column('srv_op_state'),
    admin: column('srv_admin_state'),
    weight: column('srv_uweight'),
  };
  return lines.map((line) => {
    const values = line.split(' ');
    if (values.length !== fields.length) throw new ServerStateParseError(`a line has ${values.length} fields, the header ${fields.length}`, answer);
    const admin = Number(values[at.admin]);
    return {
      name: values[at.name]!,
      host: values[at.addr]!,
      port: Number(values[at.port]),
      state: admin & MAINT_BITS ? 'maint' : admin & DRAIN_BITS ? 'drain' : 'ready',
      running: Number(values[at.op]) === SRV_ST_RUNNING,
      weight: Number(values[at.weight]),
    };
  });
}
