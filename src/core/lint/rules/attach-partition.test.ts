import { testRule } from '../../../../test/support/rule-tester.js';

const PARENT = 'CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 (id int, at date);';

testRule('attach-partition', {
  invalid: [{ sql: "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');", context: PARENT }],
  valid: [
    // Made in this deploy: it has no rows to read.
    `${PARENT}\nALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
  ],
});
