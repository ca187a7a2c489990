/** What driving a flow needs of a deployment, and what a started flow carries. */
import type { ToolClient } from '../mcp/tool-client.ts';

/** What the provider knows about flows (the mock's evidence), as far as a hand-off needs it. */
export interface FlowEvidence {
  /** The identities (account id and email) the provider issued to the authorization that carried this state. */
  identityOfState(state: string): Promise<readonly string[] | undefined>;
  /** The state of the authorization that issued this identity (account id or email). */
  stateOfIdentity(identity: string): Promise<string | undefined>;
}

export interface FlowEndpoints {
  tool: ToolClient;
  toolPid: number;
  /** The callback's pid may change (a restart), so it is read when needed. */
  callbackPid(): number;
  /** The provider's record of flows (the run's mock): which identity each authorization got. */
  evidence: FlowEvidence;
  /** The run's mock: an authorize URL on auth.atlassian.com is visited there. */
  providerUrl: string;
}

export interface StartedFlow {
  flow: number;
  authUrl: string;
  state: string;
}
