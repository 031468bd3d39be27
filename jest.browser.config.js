/**
 * `npm run test:browser`: the report page opened in headless Chromium (scripts/ensure-chromium.sh) by
 * playwright-core. A separate suite, run by .ci/run, so that `npm test` needs no browser.
 * @type {import('jest').Config}
 */
const base = require("./jest.config.js");

module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/browser"],
  testMatch: ["**/*.browser.ts"],
  setupFilesAfterEnv: [],
  testTimeout: 120000,
};
