/**
 * For looking at the UI by hand or from a screenshot script:
 *   npm run bridge -- [--library DIR] [--port 5199]
 * then open the printed URL in Playwright with pageApiScript() as init script.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBridge } from './server';

const { values } = parseArgs({ options: { library: { type: 'string' }, port: { type: 'string' } } });
const libraryDir = values.library ?? join(mkdtempSync(join(tmpdir(), 'cuttings-bridge-')), 'library');
const bridge = await startBridge({ libraryDir, port: values.port ? Number(values.port) : 5199 });
console.log(`bridge ${bridge.url} library ${libraryDir}`);
