/**
 * The report's section on the remote table: replicas of the target's remote
 * server behind a balancer, one row per remote scenario × store: what the
 * scenario expected, what the flows did, and where the first flow broke
 * (which hop, what it lost, on which replica, made on which).
 */
import { escapeCell } from './format.ts';
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import type { RemoteScenario } from '../core/remote-scenario.ts';
import { describeFirstBreak, describeRemoteExpected, remoteCellOutcome } from '../results/remote-cases.ts';
import { describeLoad, remoteClaims, type RemoteClaimRow, type RemoteMeasured } from '../results/remote-claims.ts';
import type { RemoteLoadResult } from '../measurements/remote-load/remote-load-result.ts';
import type { RemoteFootprintPublished } from '../measurements/remote-footprint/remote-footprint-measurement.ts';
import { REMOTE_C5_MAX_BYTES } from '../measurements/remote-footprint/remote-footprint-verdict.ts';
import type { RemoteTtlPublished } from '../measurements/remote-ttl/remote-ttl-measurement.ts';
import type { WriteUpStores } from '../measurements/write-up-stores.ts';

export const REMOTE_SECTION = 'Remote server: replicas behind a load balancer';

const mark = (cell: RemoteCellResult) => (cell.harnessError ? 'HARNESS ERROR' : cell.matched === true ? '✓ as expected' : cell.matched === false ? '✗ NOT as expected' : '? unknown');

export function renderRemoteTable(cells: readonly RemoteCellResult[] | undefined, descriptions: Readonly<Record<string, string>> = {}, designs?: WriteUpStores, measured: RemoteMeasured = {}): string[] {
  if (!cells?.length) return [];
  const lines = [
    `## ${REMOTE_SECTION}`,
    '',
    "The harness is the MCP client (the official SDK's, with its OAuth support: metadata discovery, dynamic client registration, PKCE, `resource`), with the user agent in between, against replicas of the server behind haproxy on loopback. The balancer names the replica that answered each request, so every hop of every flow is recorded with its replica (the cell's history file). A flow breaks at the first hop whose state the serving replica does not have: `registration` (the client unknown at /authorize or /token), `authorize-state` (the pending authorization unknown at the provider's callback), `code`, `token`, or `session` (an unknown Mcp-Session-Id).",
    '',
    '| scenario | store | replicas | expected | observed | verdict | flows completed | first break |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const cell of cells) {
    const first = describeFirstBreak(cell) ?? (cell.reason && cell.matched !== true ? cell.reason : '–');
    lines.push(
      `| ${cell.scenario} | ${cell.store} | ${cell.replicas}, ${cell.policy}, hosts ${cell.hosts} | ${escapeCell(describeRemoteExpected(cell.expected))} | ${escapeCell(remoteCellOutcome(cell))} | ${mark(cell)} | ${cell.completed}/${cell.flows.length} | ${escapeCell(first)} |`,
    );
  }
  lines.push('');
  lines.push(...renderRemoteLoad(measured.load));
  lines.push(...renderRemoteTtl(measured.ttl));
  lines.push(...renderRemoteFootprint(measured.footprint));
  lines.push(...renderRemoteClaims(remoteClaims(cells, designs, measured)));
  lines.push(...renderConformance(cells));
  const scenarios = [...new Set(cells.map((cell) => cell.scenario))];
  const described = scenarios.filter((name) => descriptions[name]);
  if (described.length) {
    lines.push(...described.map((name) => `- **${name}**: ${escapeCell(descriptions[name]!)}`), '');
  }
  return lines;
}

/** The scenarios' descriptions by name, for the section. */
export function remoteDescriptions(scenarios: readonly RemoteScenario[]): Record<string, string> {
  return Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.description]));
}

/** The conformance suite's results beside the table: one row per remote scenario whose cell ran it. */
function renderConformance(cells: readonly RemoteCellResult[]): string[] {
  const ran = cells.filter((cell) => cell.conformance);
  if (ran.length === 0) return [];
  const notRun = ran.find((cell) => cell.conformance!.notRun);
  const version = ran.find((cell) => cell.conformance!.version)?.conformance!.version;
  const lines = [
    `### The MCP conformance suite through the balancer`,
    '',
    `The official suite's server scenarios (\`@modelcontextprotocol/conformance\`${version ? ` ${version}` : ''}), run against the balancer in front of each remote scenario's replicas after its flows, in the cells of one store (${[...new Set(ran.map((cell) => cell.store))].join(', ')}). The suite cannot authorize itself: a second balancer with the same policy adds the bearer token of the cell's last completed flow to every request. Its expected failures are the server's own gaps (what it failed through a single replica) where the flows are expected to complete, and every scenario where they are expected to break. Shown beside the table, not gated.`,
    '',
  ];
  if (notRun && ran.every((cell) => cell.conformance!.notRun)) return [...lines, `Not run: ${escapeCell(notRun.conformance!.notRun!)}.`, ''];
  lines.push('| scenario | store | bearer token | suite passed | expected failures | not as expected | |', '|---|---|---|---|---|---|---|');
  for (const cell of ran) {
    const suite = cell.conformance!;
    if (suite.notRun) {
      lines.push(`| ${cell.scenario} | ${cell.store} | – | not run: ${escapeCell(suite.notRun)} | – | – | |`);
      continue;
    }
    const passed = suite.scenarios.filter((s) => s.outcome === 'pass').length;
    if (suite.control) {
      lines.push(`| ${cell.scenario} | ${cell.store} | ${escapeCell(suite.bearer)} | ${passed}/${suite.scenarios.length} | the control: its ${suite.scenarios.length - passed} failures are the server's own gaps | – | control |`);
      continue;
    }
    const judged = suite.judged;
    const off = judged ? [...judged.unexpectedFail.map((name) => `${name} failed`), ...judged.unexpectedPass.map((name) => `${name} passed`)].join(', ') || '–' : 'not judged (no single-replica run of the suite)';
    const mark = !judged ? '?' : judged.matched ? '✓' : '✗';
    lines.push(`| ${cell.scenario} | ${cell.store} | ${escapeCell(suite.bearer)} | ${passed}/${suite.scenarios.length} | ${judged ? `${judged.expectedFailures}: ${escapeCell(judged.expectedFrom)}` : '–'} | ${escapeCell(off)} | ${mark} |`);
  }
  lines.push('');
  return lines;
}

/** C1–C4 read again across replicas from the cells above, C5, C6 and C8 from the remote measurements (remote-claims.ts). */
function renderRemoteClaims(rows: readonly RemoteClaimRow[]): string[] {
  if (rows.length === 0) return [];
  const lines = [
    '### The write-up\'s claims across replicas',
    '',
    "C1–C4 read again from the cells above, and C5, C6 and C8 from the measurements through replicas above, for the stores that follow the write-up's two designs (a static Map; one file every process rewrites): the same claims, with replicas of a remote server where the write-up had a tool process and a callback process.",
    '',
    '| id | store | verdict | from | only if |',
    '|---|---|---|---|---|',
  ];
  for (const row of rows) lines.push(`| ${row.id} | ${row.store ?? '–'} | ${row.verdict} | ${escapeCell(row.figure)} | ${row.conditions ? escapeCell(row.conditions) : '–'} |`);
  lines.push('');
  return lines;
}

/** Flows at once through two replicas (the remote load measurement), one row per store. */
function renderRemoteLoad(load: RemoteLoadResult | undefined): string[] {
  if (!load?.stores.length) return [];
  const lines = [
    '### Flows at once through replicas',
    '',
    `${load.replicas} replicas of the server on one shared host behind a ${load.policy} balancer, a fresh pair per level; at each level that many flows in flight at once, each a new MCP client (${load.quick ? '`npm run repro`; `npm run bench` climbs to 64 at once' : '`npm run bench`'}). Completed flows of those started, and what the others lost.`,
    '',
    '| store | completed, by flows at once | p50 of a completed flow (ms) |',
    '|---|---|---|',
  ];
  for (const store of load.stores) {
    const p50 = store.levels.map((level) => `${level.concurrency}: ${level.p50Ms ?? '–'}`).join(', ');
    lines.push(`| ${store.store} | ${escapeCell(store.harnessError ? `not measured: ${store.harnessError}` : describeLoad(store.levels))} | ${p50 || '–'} |`);
  }
  lines.push('');
  return lines;
}

/** A pending authorization at 14:59 and at 15:01 through two replicas on one virtual clock (the remote TTL measurement), one row per store. */
function renderRemoteTtl(ttl: RemoteTtlPublished | undefined): string[] {
  if (!ttl?.judged.length) return [];
  return storeVerdictTable(
    'Pending authorizations at 14:59 and 15:01, across replicas',
    `${ttl.replicas} replicas of the server on one shared host behind a ${ttl.policy} balancer (requests take turns, so a pending authorization is often looked up on the replica that did not make it), every replica on one virtual clock. Per store, three flows, each a new MCP client: a baseline, then the clock moved by 14:59 and by 15:01 once the authorize hop has answered, before the browser reaches the provider (which then issues a fresh code). The TTL holds when 14:59 completes and 15:01 is refused at the provider callback; a store whose baseline does not complete cannot show it.`,
    'flows',
    ttl.judged,
  );
}

/** The bytes a remote flow leaves on the replicas' shared host (the remote footprint measurement), one row per store. */
function renderRemoteFootprint(footprint: RemoteFootprintPublished | undefined): string[] {
  if (!footprint?.judged.length) return [];
  const over = footprint.judged.find((judged) => judged.overFlows !== undefined)?.overFlows;
  return storeVerdictTable(
    "Bytes per remote flow on the replicas' host",
    `${footprint.replicas} replicas of the server on one shared host behind a ${footprint.policy} balancer; whole flows one after another, each a new MCP client. Every file under the host's /tmp and home is weighed before any flow, after the first and after the last${over !== undefined ? ` (${over} flows after the first)` : ''}, whatever the server names it; a store kept in Redis is weighed there (MEMORY USAGE of its own database's keys). Per completed flow, not per item: a remote flow stores several records. At most ${REMOTE_C5_MAX_BYTES} B per flow reads as the write-up's "~200 bytes".`,
    'bytes per flow',
    footprint.judged,
  );
}

/** A claim across replicas judged per store: its section, what was measured, and one row per store (verdict, figure, why). */
function storeVerdictTable(title: string, intro: string, figureHeader: string, judged: readonly { store: string; verdict: string; figure: string; why?: string }[]): string[] {
  const lines = [`### ${title}`, '', intro, '', `| store | verdict | ${figureHeader} | why |`, '|---|---|---|---|'];
  for (const row of judged) lines.push(`| ${row.store} | ${row.verdict} | ${escapeCell(row.figure)} | ${row.why ? escapeCell(row.why) : '–'} |`);
  lines.push('');
  return lines;
}
