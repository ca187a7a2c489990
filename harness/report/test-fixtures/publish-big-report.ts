/** Publishes a very large REPORT.md into the project root given, so that a test can kill it while it writes. */
import { publishReport } from '../publish-report.ts';

const [root, runDir] = process.argv.slice(2) as [string, string];
process.stdout.write('publishing\n');
await publishReport({
  projectRoot: root,
  base: 'report/',
  files: [{ from: `${runDir}/charts/new.svg`, to: 'charts/new.svg' }],
  markdown: `# new report\n${'x'.repeat(256 * 1024 * 1024)}\n`,
});
process.stdout.write('published\n');
