// html-worker.ts run from the TypeScript sources (tests, the CLI, scripts,
// all under tsx): a worker does not inherit its parent's tsx loader on
// Node 20, so it registers one before loading the worker. The app runs the
// bundled html-worker.cjs instead (see html-pool.ts).
import { register } from 'tsx/esm/api';

register();
await import('./html-worker.ts');
