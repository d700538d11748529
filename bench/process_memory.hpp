// What the density benchmark reads about its own process: peak and current resident memory,
// and the CPUs it may run on (to pin itself to the first N of them for `--cores`).
#pragma once

#include <malloc.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

// tcmalloc's way to hand its free pages back (gperftools' C API), when the program is
// linked with it (cmake/KactorAllocator.cmake); weak, so a build without it still links.
extern "C" void MallocExtension_ReleaseFreeMemory(void) __attribute__((weak));

namespace kactor::bench {

/// The process's peak resident set since it started, in MB.
inline double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

/// The resident set now, in bytes, after handing freed heap back to the kernel (tcmalloc's
/// and glibc's): without it, memory freed by a finished phase would still count against the
/// next one.
inline int64_t current_rss_bytes() {
  if (MallocExtension_ReleaseFreeMemory) MallocExtension_ReleaseFreeMemory();
  malloc_trim(0);
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

/// The CPUs this process may run on (its affinity mask, what `taskset` sets).
inline int allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return CPU_COUNT(&set);
}

/// Pins the process to the first `cores` CPUs of its affinity mask. Called before any thread
/// starts, so every thread (CAF workers, RocksDB, the clock) inherits the mask. False when
/// fewer CPUs are allowed.
inline bool pin_to_cores(int cores) {
  cpu_set_t allowed, pinned;
  CPU_ZERO(&allowed);
  CPU_ZERO(&pinned);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return false;
  int taken = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE && taken < cores; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) {
      CPU_SET(cpu, &pinned);
      ++taken;
    }
  return taken == cores && sched_setaffinity(0, sizeof(pinned), &pinned) == 0;
}

}  // namespace kactor::bench
