// Copies the console's browser libraries from node_modules into ../wwwroot/lib (git-ignored). Run by the server's
// build (see WeChatAssist.Server.csproj) after `npm ci`; no bundler is needed for two prebuilt UMD files.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, '..', 'wwwroot', 'lib');
const files = [
  ['echarts/dist/echarts.min.js', 'echarts/echarts.min.js'],
  ['@microsoft/signalr/dist/browser/signalr.min.js', 'signalr/signalr.min.js'],
];

for (const [from, to] of files) {
  const target = join(lib, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(here, 'node_modules', from), target);
  console.log(`wwwroot/lib/${to}`);
}

// The build compares this stamp with package-lock.json to know when to run again.
writeFileSync(join(lib, '.stamp'), new Date().toISOString() + '\n');
