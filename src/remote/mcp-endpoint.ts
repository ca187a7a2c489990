/**
 * /mcp: Streamable HTTP behind the bearer middleware, with MCP sessions kept
 * in the remote state instead of in a transport object (which cannot be
 * stored). initialize makes the session record and its Mcp-Session-Id; every
 * later request is accepted by any replica that finds that id in the store
 * (for the same client), and served by a transport and a server made for
 * that request alone: the SDK's stateless mode, with the session checked
 * here. So a replica that did not create a session serves it exactly like
 * the one that did, and one that cannot see it answers 404, which tells the
 * client to start a new session.
 *
 * No stream outlives its request: POSTs answer with JSON, and GET (the
 * optional stream for server-initiated messages) is 405, which the SDK's
 * client takes as "no such stream".
 */
import type { Request, Response } from 'express';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { shortId, type Logger } from '../log.ts';
import { REMOTE_LIFETIMES_MS, type RemoteState } from './remote-state.ts';

export const SESSION_HEADER = 'mcp-session-id';

export interface McpEndpointOptions {
  state: RemoteState;
  createServer: () => McpServer;
  log: Logger;
}

type AuthedRequest = Request & { auth?: AuthInfo };

/** A JSON-RPC error answer, as the SDK's transport writes its own. */
function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

const isInitialize = (body: unknown): boolean => (Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body));

export function mcpEndpoint(options: McpEndpointOptions): { post: (req: Request, res: Response) => Promise<void>; get: (req: Request, res: Response) => void; delete: (req: Request, res: Response) => Promise<void> } {
  const { state, log } = options;

  /** Serves one request with a transport and a server of its own, both closed when the answer is sent. */
  async function serve(req: AuthedRequest, res: Response, transport: StreamableHTTPServerTransport): Promise<void> {
    const server = options.createServer();
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  /** The session named by the request's header, for the request's client; answers 400/404 itself when there is none. */
  async function knownSession(req: AuthedRequest, res: Response): Promise<string | undefined> {
    const sessionId = req.header(SESSION_HEADER);
    if (!sessionId) {
      rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return undefined;
    }
    const session = await state.find('mcpSessions', sessionId);
    // Another client's session is answered like an unknown one: a session id is no credential, the token is.
    if (!session || session.clientId !== req.auth?.clientId) {
      log.warn(`🔍 MCP session ${shortId(sessionId)}: ${session ? 'OF ANOTHER CLIENT' : 'NOT FOUND'} (store ${state.store.kind})`);
      rpcError(res, 404, -32001, `Session not found (store ${state.store.kind}, pid ${process.pid})`);
      return undefined;
    }
    return sessionId;
  }

  return {
    async post(req: AuthedRequest, res) {
      if (isInitialize(req.body)) {
        const now = Date.now();
        const sessionId = await state.create('mcpSessions', {
          clientId: req.auth!.clientId,
          createdAt: now,
          expiresAt: now + REMOTE_LIFETIMES_MS.mcpSessions,
        });
        log.info(`💾 MCP session ${shortId(sessionId)} created for client ${shortId(req.auth!.clientId)} (store ${state.store.kind})`);
        // A stateful transport for this one request: it writes the Mcp-Session-Id header and checks the initialize.
        await serve(req, res, new StreamableHTTPServerTransport({ sessionIdGenerator: () => sessionId, enableJsonResponse: true }));
        return;
      }
      if ((await knownSession(req, res)) === undefined) return;
      await serve(req, res, new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true }));
    },

    get(_req, res) {
      res.set('allow', 'POST, DELETE');
      rpcError(res, 405, -32000, 'Method not allowed: this server keeps no stream open between requests');
    },

    async delete(req: AuthedRequest, res) {
      const sessionId = await knownSession(req, res);
      if (sessionId === undefined) return;
      await state.remove('mcpSessions', sessionId);
      log.info(`🗑️ MCP session ${shortId(sessionId)} ended (store ${state.store.kind})`);
      res.status(200).end();
    },
  };
}
