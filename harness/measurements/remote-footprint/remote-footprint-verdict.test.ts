/**
 * C5 across replicas, judged from hand-written host readings: 250 B per
 * flow holds and 251 B does not; a store that left nothing on disk is n/a;
 * flows that did not all complete, or a harness failure, are unknown.
 */
import { describe, expect, it } from 'vitest';
import type { DiskReading, RemoteFootprintStore } from './remote-footprint-result.ts';
import { judgeRemoteFootprint } from './remote-footprint-verdict.ts';

const reading = (files: Record<string, number>): DiskReading => ({ bytes: Object.values(files).reduce((sum, n) => sum + n, 0), files });
/** 11 flows; the file at `first` bytes after the first, growing by `perFlow` with each of the 10 after it. */
const grown = (perFlow: number, first = 1_000): RemoteFootprintStore => ({
  store: 'json-file',
  flows: 11,
  completed: 11,
  disk: { before: reading({ 'shared/home/.keep': 0 }), afterFirst: reading({ 'shared/home/.keep': 0, 'shared/tmp/s.json': first }), afterAll: reading({ 'shared/home/.keep': 0, 'shared/tmp/s.json': first + 10 * perFlow }) },
});

describe('C5 across replicas, one store', () => {
  it('holds at 250 B per flow, not at 251', () => {
    expect(judgeRemoteFootprint(grown(250))).toMatchObject({ verdict: 'holds', diskBytesPerFlow: 250, overFlows: 10 });
    expect(judgeRemoteFootprint(grown(251))).toMatchObject({ verdict: 'does not hold', diskBytesPerFlow: 251 });
  });

  it('says the figure per completed flow, over how many, and which files changed', () => {
    expect(judgeRemoteFootprint(grown(1_676)).figure).toBe('1676 B on disk per completed flow over 10 flows after the first (×8.4 the claimed 200 B; the first flow +1000 B); changed: shared/tmp/s.json +16760 B');
  });

  it('is n/a when no file under the hosts changed, with what Redis holds when the store is there', () => {
    const empty = reading({});
    const redis: RemoteFootprintStore = { store: 'redis', flows: 11, completed: 11, disk: { before: empty, afterFirst: empty, afterAll: empty }, redisMemory: { afterFirst: { bytes: 1_000, keys: 4 }, afterAll: { bytes: 19_000, keys: 44 } } };
    expect(judgeRemoteFootprint(redis)).toMatchObject({ verdict: 'n/a', redisBytesPerFlow: 1_800, figure: expect.stringContaining("1800 B per flow in the Redis server's memory") });
    expect(judgeRemoteFootprint({ ...redis, redisMemory: undefined })).toMatchObject({ verdict: 'n/a', why: expect.stringContaining('(not measured here)') });
  });

  it('is unknown when not every flow completed, fewer than two ran, or the harness failed', () => {
    expect(judgeRemoteFootprint({ ...grown(100), completed: 10, firstBreak: 'flow 4 broke at the token hop (lost code, 400)' })).toMatchObject({ verdict: 'unknown', figure: '10/11 flows completed', why: expect.stringContaining('flow 4 broke at the token hop') });
    expect(judgeRemoteFootprint({ ...grown(100), flows: 1, completed: 1 }).verdict).toBe('unknown');
    expect(judgeRemoteFootprint({ store: 'sqlite', flows: 0, completed: 0, harnessError: 'haproxy would not start' })).toMatchObject({ verdict: 'unknown', why: 'the harness failed: haproxy would not start' });
  });
});
