module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // a test harness drives the plugins' internals and test utilities on purpose
    '@backstage/no-forbidden-package-imports': 'off',
    '@backstage/no-mixed-plugin-imports': 'off',
    'no-restricted-imports': 'off',
    // never built or published: __dirname is the source folder
    'no-restricted-syntax': 'off',
  },
});
