/* Copies the repository's root migrations into this package before packing, so the
 * published plugin carries its schema (the design card keeps one copy, at the root). */
const fs = require('node:fs');
const path = require('node:path');

const source = path.resolve(__dirname, '../../../migrations');
const target = path.resolve(__dirname, '../migrations');
const mode = process.argv[2];

fs.rmSync(target, { recursive: true, force: true });
if (mode !== '--clean') {
  fs.cpSync(source, target, { recursive: true });
}
