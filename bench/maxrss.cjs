// Preloaded (node --require) into the processes the benchmark measures for memory: as the process
// exits, reports on file descriptor 3 its peak resident set size (KiB) and the CPU time it used (ms).
const { writeSync } = require('node:fs');

process.on('exit', () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  writeSync(3, `${maxRSS} ${(userCPUTime + systemCPUTime) / 1000}\n`);
});
