/**
 * A second callback process beside a deployment's own: same target, same
 * store, same host (its /tmp and HOME), same OAuth client. Two callback
 * processes behind one redirect URI is what a load balancer, a restart
 * overlap or a second replica gives.
 */
import path from 'node:path';
import { MOCK_COMPANY_URL, MOCK_USER_EMAIL, type MockAtlassian, type RegisteredClient } from '../mock/mock-atlassian.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import type { RunFolder } from '../run/run-folder.ts';
import type { TargetDescription } from '../target/target-description.ts';

export interface ExtraCallbackOptions {
  target: TargetDescription;
  store: string;
  mock: MockAtlassian;
  client: RegisteredClient;
  run: RunFolder;
  name: string;
  /** The host's /tmp (Deployment.callbackHostTmp); HOME is its sibling folder. */
  hostTmp: string;
  extraEnv?: Record<string, string>;
}

export async function startExtraCallback(options: ExtraCallbackOptions): Promise<{ child: RunningChild; url: string }> {
  const { target, store, mock, client, run, name, hostTmp } = options;
  const child = spawnChild({
    name,
    command: target.callbackProcess.command,
    args: target.callbackProcess.args,
    cwd: target.cwd,
    env: {
      ...target.environment({
        store,
        authUrl: mock.url,
        apiUrl: mock.url,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        port: '0',
        companyUrl: MOCK_COMPANY_URL,
        userEmail: MOCK_USER_EMAIL,
      }),
      TMPDIR: hostTmp,
      HOME: path.join(path.dirname(hostTmp), 'home'),
      ...options.extraEnv,
    },
    logDir: run.logDir,
  });
  try {
    const ready = await child.waitForReady('stdout', target.callbackReadyService);
    return { child, url: ready.url };
  } catch (error) {
    await child.stop({ graceMs: 500 });
    throw error;
  }
}
