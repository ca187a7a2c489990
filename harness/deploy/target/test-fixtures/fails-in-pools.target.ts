/**
 * src/ whose callback process refuses to start whenever it is given
 * OAUTH_HTTP_TIMEOUT_MS, which only the reliability measurements' pools
 * set: the preflight and the scenario table run, every start of a pool's
 * deployment fails. Stands for the harness's own trouble in a measurement's
 * setup (a start that fails whatever is retried).
 */
import type { TargetFile } from '../target-file.ts';
import src from '../../../../src/repro.target.ts';

const refuseInPools = 'if [ -n "$OAUTH_HTTP_TIMEOUT_MS" ]; then echo "refusing to start inside a pool" >&2; exit 3; fi; exec "$0" "$@"';

const target: TargetFile = {
  ...src,
  name: 'fails in pools',
  cwd: '../../../..',
  callback: { ...src.callback, command: 'sh', args: ['-c', refuseInPools, process.execPath, ...(src.callback.args ?? [])] },
  storeModule: '../../../../src/stores/create-session-store.ts',
};
export default target;
