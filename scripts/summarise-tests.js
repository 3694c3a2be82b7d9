/* Sums jest's, Playwright's and the reliability suite's JSON reports into one closing line,
 * and counts a failed step with no test report (type-check, lint, pack, bench) as one failure
 * so it cannot pass silently. */
const fs = require('node:fs');
const path = require('node:path');

const [dir, ...failedSteps] = process.argv.slice(2);
const read = name => {
  const file = path.join(dir, name);
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
};

let passed = 0;
let failed = 0;
let skipped = 0;

const jest = read('jest.json');
if (jest) {
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  skipped += jest.numPendingTests + jest.numTodoTests;
}
const e2e = read('e2e.json');
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  skipped += e2e.stats.skipped;
}
const reliability = read('reliability.json');
if (reliability) {
  passed += reliability.passed;
  failed += reliability.failed;
}
const reported = new Set(
  [jest && 'jest', e2e && 'e2e', reliability && 'reliability'].filter(Boolean),
);
const unreported = failedSteps.filter(s => !reported.has(s));
failed += unreported.length;

if (failedSteps.length) {
  console.log(`failed steps: ${failedSteps.join(', ')}`);
}
console.log(`summary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length || failed ? 1 : 0);
