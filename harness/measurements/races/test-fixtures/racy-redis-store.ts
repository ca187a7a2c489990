/**
 * A deliberately racy Redis store for the tests of the store-level races:
 * every session in one JSON value, read with GET and written back with SET
 * (the write-up's read-modify-write, moved into Redis). It shows the forced
 * races can be produced, so a "prevented" for src/'s store could have come
 * out otherwise.
 */
import { Redis } from 'ioredis';
import type { Namespace, NamespaceRecords, OAuthSession, SessionStore } from '../../../../src/session-store.ts';

type Blob = Record<string, OAuthSession>;

export function openRacyRedisStore(redisUrl: string, keyPrefix: string): SessionStore {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const key = `${keyPrefix}all-sessions`;
  const read = async (): Promise<Blob> => JSON.parse((await client.get(key)) ?? '{}') as Blob;
  const write = async (all: Blob) => {
    await client.set(key, JSON.stringify(all));
  };
  return {
    kind: 'redis',
    async put<N extends Namespace>(_ns: N, state: string, record: NamespaceRecords[N]) {
      const all = await read();
      all[state] = record as OAuthSession;
      await write(all);
    },
    async get<N extends Namespace>(_ns: N, state: string) {
      return (await read())[state] as NamespaceRecords[N] | undefined;
    },
    async take<N extends Namespace>(_ns: N, state: string) {
      const all = await read();
      const found = all[state];
      delete all[state];
      await write(all);
      return found as NamespaceRecords[N] | undefined;
    },
    async delete(_ns: Namespace, state: string) {
      const all = await read();
      delete all[state];
      await write(all);
    },
    async count() {
      return Object.keys(await read()).length;
    },
    async close() {
      client.disconnect();
    },
  };
}
