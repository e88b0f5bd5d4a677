import { before } from 'node:test';
import { runDriverConformance } from '../conformance.js';
import { dockerSetup, requireDocker } from './test-support.js';

before(requireDocker);
runDriverConformance('docker', dockerSetup);
