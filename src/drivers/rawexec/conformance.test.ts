import { before } from 'node:test';
import { runDriverConformance } from '../conformance.js';
import { buildExecutor, rawExecSetup } from './test-support.js';

before(buildExecutor);
runDriverConformance('raw_exec', rawExecSetup);
