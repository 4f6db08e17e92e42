/**
 * A worker of html-pool.ts: parses the pages it is sent, one at a time, and
 * answers with what parseArticleBytes makes of each (never throws for a page:
 * a page that cannot be read is a FileRead that says why).
 */
import { parentPort } from 'node:worker_threads';
import { parseArticleBytes } from './files';
import type { PageReply, PageRequest } from './html-pool';

const port = parentPort;
if (!port) throw new Error('html-worker runs in a worker thread only');
port.on('message', ({ id, path, bytes }: PageRequest) => {
  const reply: PageReply = { id, read: parseArticleBytes(path, bytes) };
  port.postMessage(reply);
});
const ready: PageReply = { ready: true };
port.postMessage(ready);
