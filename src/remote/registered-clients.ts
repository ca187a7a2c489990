/**
 * The SDK's clients store (dynamic registration and lookup by client id)
 * over the remote state: a registration made on one replica is found on
 * another only when the store shares it.
 */
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Logger } from '../log.ts';
import { shortId } from '../log.ts';
import { REMOTE_LIFETIMES_MS, type RemoteState } from './remote-state.ts';

export function registeredClients(state: RemoteState, log: Logger): OAuthRegisteredClientsStore {
  return {
    async getClient(clientId: string): Promise<OAuthClientInformationFull | undefined> {
      const registration = await state.find('clients', clientId);
      if (!registration) {
        log.warn(`🔍 Client ${shortId(clientId)}: NOT FOUND (store ${state.store.kind})`);
        return undefined;
      }
      return { ...registration.client, client_id: clientId };
    },
    async registerClient(client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>): Promise<OAuthClientInformationFull> {
      // The SDK's handler made a random client id; the store's key replaces it (sealed-state seals the registration into it).
      const { client_id: _madeBySdk, ...registration } = client as OAuthClientInformationFull;
      const clientId = await state.create('clients', { client: registration, expiresAt: Date.now() + REMOTE_LIFETIMES_MS.clients });
      log.info(`💾 Registered client ${shortId(clientId)} (${registration.client_name ?? 'unnamed'}, store ${state.store.kind})`);
      return { ...registration, client_id: clientId };
    },
  };
}
