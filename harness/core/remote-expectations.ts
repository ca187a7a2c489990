/** Expectations the remote scenarios share, each with the reason the report shows. */
import type { RemoteExpectation } from './remote-scenario.ts';

export const PASSES: RemoteExpectation = { outcome: 'pass' };

/** Consecutive requests reach different replicas: the first state one replica made and another looks up is the client's registration. */
export const REGISTRATION_ON_ANOTHER_REPLICA: RemoteExpectation = {
  outcome: 'fail',
  lost: ['registration'],
  why: 'each replica keeps its own state: the client registered on one replica is unknown to the next, at /authorize or /token',
};

/** The same, for a one-host store on replicas that share no disk. */
export const NO_SHARED_DISK: RemoteExpectation = {
  ...REGISTRATION_ON_ANOTHER_REPLICA,
  why: 'a one-host store: replicas on hosts of their own share no disk, so the registration one wrote is not there for the other',
};

/**
 * Hashing on Mcp-Session-Id keeps a session on one replica, but the OAuth requests before it carry no session and are
 * spread round-robin: a flow breaks at the first state it needs from the other replica, whichever that is, never at the session.
 */
export const SPREAD_BEFORE_THE_SESSION: RemoteExpectation = {
  outcome: 'fail',
  lost: ['registration', 'authorize-state', 'code', 'token'],
  why: 'the OAuth requests carry no Mcp-Session-Id, so the hash spreads them round-robin: a flow breaks at the first state it needs from the other replica',
};

export const SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK: RemoteExpectation = {
  ...SPREAD_BEFORE_THE_SESSION,
  why: 'a one-host store on replicas that share no disk, and OAuth requests spread round-robin before any session exists: a flow breaks at the first state it needs from the other replica',
};

/*
 * A resource server: the authorization server is elsewhere (one, not balanced), so registrations, pending
 * authorizations, codes and tokens cannot be lost on a replica; what a replica keeps is the MCP session.
 */

/** Requests of one session reach different replicas. */
export const SESSION_ON_ANOTHER_REPLICA: RemoteExpectation = {
  outcome: 'fail',
  lost: ['session'],
  why: 'each replica keeps its own MCP sessions: the session initialize made on one replica is unknown to the next request\'s',
};

export const SESSION_NO_SHARED_DISK: RemoteExpectation = {
  ...SESSION_ON_ANOTHER_REPLICA,
  why: 'a one-host store: replicas on hosts of their own share no disk, so the MCP session one wrote is not there for the other',
};

/** A hash of an id the server drew at random sends a session to the replica the id picks, not to the one that made it. */
export const SESSION_WHERE_THE_HASH_SENDS_IT: RemoteExpectation = {
  outcome: 'as-routed',
  why: 'a hash of the session id picks a replica by the id, not by who made the session: a flow breaks at session exactly when its id hashes to the other replica',
};
