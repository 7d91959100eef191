// One process of `npm run test:unit`: test/support/shards.ts says which test files it runs.
import { runShard } from '../support/shards';

runShard(__filename);
