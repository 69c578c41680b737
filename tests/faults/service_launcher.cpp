// Starts nimbus-signals so that the kernel kills it when the thread that started it exits, which
// for these tests is the test process's main thread. service_process spawns the binary without
// that link, so a test process killed by a timeout would leave the service running, polling
// simulators that no longer exist.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  (void)argc;

  // The death signal survives execv. A parent that died before prctl left this process to init
  // (pid 1), and then no signal would ever come.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1) {
    std::perror("prctl(PR_SET_PDEATHSIG) failed or the parent already exited");
    return 125;
  }

  // Under AddressSanitizer, freed memory waits in a quarantine of up to 256 MiB before reuse. The
  // kill storm measures the service's resident memory across hundreds of restarts, and would
  // count that quarantine as growth, so the services these tests start run without it. The other
  // suites keep the quarantine and with it use-after-free detection.
  if (const char* asan_options = std::getenv("ASAN_OPTIONS")) {
    std::string options = asan_options;
    options += ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
    setenv("ASAN_OPTIONS", options.c_str(), 1);
  }

  argv[0] = const_cast<char*>(NIMBUS_SERVICE_BINARY);
  execv(NIMBUS_SERVICE_BINARY, argv);
  std::perror("execv " NIMBUS_SERVICE_BINARY " failed");
  return 127;
}
