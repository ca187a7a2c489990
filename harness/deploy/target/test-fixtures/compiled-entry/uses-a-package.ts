/** An entry point whose package (zod) stays in node_modules when compiled: it runs only where that folder can be found from the output. */
import { z } from 'zod';

process.stdout.write(`${z.string().parse('package found')}\n`);
