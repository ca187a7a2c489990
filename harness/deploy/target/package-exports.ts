/**
 * What `import ... from 'oauth-state-repro'` gives a user's target file: the
 * two define helpers, their types, and the compile helper a TypeScript server
 * with no build of its own can name its entries with (each of a run's
 * hundreds of processes then starts from JavaScript).
 */
export { defineTarget } from './target-file.ts';
export type { FactoryLaunch, ProcessCommand, Readiness, ResultLocator, TargetFile, TargetInputs, TargetProcess } from './target-file.ts';
export { defineRemoteTarget } from './remote-target-file.ts';
export type { RemoteInputs, RemoteOAuthRole, RemoteServer, RemoteTargetFile } from './remote-target-file.ts';
export type { StoreProfile, StoreReach } from '../../core/store-profile.ts';
export { compiledNodeArgs } from './compiled-entry-points.ts';
export type { CompileRequest } from './compiled-entry-points.ts';
