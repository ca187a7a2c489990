/**
 * A view of the run's mock that remembers the OAuth clients registered
 * through it. Deployment.start registers its own client; a race that adds a
 * second callback process needs that client's credentials, and gets them
 * here without reaching into the deployment.
 */
import type { MockAtlassian, RegisteredClient } from '../mock/mock-atlassian.ts';

export function captureClients(mock: MockAtlassian): { mock: MockAtlassian; clients: RegisteredClient[] } {
  const clients: RegisteredClient[] = [];
  const view = Object.create(mock) as MockAtlassian;
  view.registerClient = async (clientId: string, redirectUris: string[] = []) => {
    const client = await mock.registerClient(clientId, redirectUris);
    clients.push(client);
    return client;
  };
  return { mock: view, clients };
}
