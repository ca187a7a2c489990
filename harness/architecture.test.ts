/**
 * The shape of harness/, checked: no import cycle between any two modules,
 * and dependencies that point one way between its layers. A newcomer reads
 * the layers off the folder names; this test keeps them true.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HARNESS = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HARNESS);

/**
 * Lower ranks never import higher ones. Folders of one rank do not import
 * each other (engine and report are both fed by results, neither by the other).
 */
export const LAYERS: Readonly<Record<string, number>> = {
  core: 0, // history, run folder, scenarios, topologies, checkers: the vocabulary
  deploy: 1, // targets, processes, MCP client, user agent, preloads, mock and redis services
  measurements: 2, // one folder per claim or area, and the Measurement contract
  grading: 3, // every store graded from the measurements
  results: 4, // the results document
  engine: 5, // the battery: scenario cells, then measurements, grading, results
  report: 5, // REPORT.md and charts, from the results document
  cli: 6, // the entry points
};

const codeFile = /\.(ts|mjs)$/;
const importSpecifier = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function listCode(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listCode(full);
    return codeFile.test(entry.name) ? [full] : [];
  });
}

/** Module → the modules it imports, relative to the project root. Tests are left out: they may reach across layers to set a scene. */
export function importGraph(dir = HARNESS): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listCode(dir).filter((f) => !f.endsWith('.test.ts') && !f.includes(`${path.sep}test-fixtures${path.sep}`))) {
    const source = readFileSync(file, 'utf8');
    const targets = [...source.matchAll(importSpecifier)].map((m) => path.relative(ROOT, path.resolve(path.dirname(file), (m[1] ?? m[2])!)));
    graph.set(path.relative(ROOT, file), targets);
  }
  return graph;
}

/** Every cycle's members, found with Tarjan's strongly connected components. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indexOf.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return found;
}

const layerOf = (file: string) => (file.startsWith('harness/') ? file.split('/')[1] : undefined);

/** Imports that point up or sideways between layers, as "from → to". */
export function layerViolations(graph: Map<string, string[]>, layers = LAYERS): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (!fromLayer || !toLayer || fromLayer === toLayer) continue;
      const a = layers[fromLayer];
      const b = layers[toLayer];
      if (a === undefined || b === undefined || b >= a) out.push(`${from} → ${to}`);
    }
  }
  return out;
}

describe('harness architecture', () => {
  const graph = importGraph();

  it('has a layer for every top-level folder', () => {
    const folders = readdirSync(HARNESS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('imports only downward between layers', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('the checks themselves can fail: a planted cycle and an upward import are found', () => {
    const planted = new Map([
      ['harness/core/a.ts', ['harness/core/b.ts']],
      ['harness/core/b.ts', ['harness/report/c.ts']],
      ['harness/report/c.ts', ['harness/core/a.ts']],
    ]);
    expect(cycles(planted)).toEqual([['harness/core/a.ts', 'harness/core/b.ts', 'harness/report/c.ts']]);
    expect(layerViolations(planted)).toEqual(['harness/core/b.ts → harness/report/c.ts']);
  });
});
