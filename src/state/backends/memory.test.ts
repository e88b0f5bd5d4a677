import { runKvConformance } from '../kv-conformance.js';
import { openMemoryKv } from './memory.js';

runKvConformance('memory', async ({ clock }) => ({ kv: openMemoryKv({ clock }), cleanup: async () => {} }));
