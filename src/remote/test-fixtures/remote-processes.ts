/**
 * The remote process as a real OS process for the e2e tests, through the
 * harness's one spawning module, pointed at a running mock Atlassian.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChild, type RunningChild } from '../../../harness/deploy/process/child-process.ts';
import { MOCK_COMPANY_URL } from '../../../harness/deploy/services/mock-atlassian.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = path.join(ROOT, 'src/remote-process.ts');

export const REMOTE_CLIENT_ID = 'remote-mode-client';

export interface RemoteReplica {
  readonly child: RunningChild;
  /** Where this replica listens (its announcement), not its PUBLIC_URL. */
  readonly url: string;
}

export interface RemoteReplicaOptions {
  name: string;
  logDir: string;
  /** Its HOME and TMPDIR (file stores default there). */
  homeDir: string;
  mockUrl: string;
  clientSecret: string;
  publicUrl: string;
  store: string;
  port?: number;
  env?: Record<string, string>;
}

export async function startRemoteReplica(options: RemoteReplicaOptions): Promise<RemoteReplica> {
  const child = spawnChild({
    name: options.name,
    command: process.execPath,
    args: ['--import', 'tsx', ENTRY],
    cwd: ROOT,
    logDir: options.logDir,
    env: {
      HOME: options.homeDir,
      TMPDIR: options.homeDir,
      ATLASSIAN_CLIENT_ID: REMOTE_CLIENT_ID,
      ATLASSIAN_CLIENT_SECRET: options.clientSecret,
      JIRA_COMPANY_URL: MOCK_COMPANY_URL,
      ATLASSIAN_AUTH_URL: options.mockUrl,
      ATLASSIAN_API_URL: options.mockUrl,
      SESSION_STORE: options.store,
      PUBLIC_URL: options.publicUrl,
      PORT: String(options.port ?? 0),
      ...options.env,
    },
  });
  const ready = await child.waitForReady('stdout', 'remote');
  return { child, url: ready.url };
}
